package journalgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Authors are the two partners of every generated journal.
var authors = [2]string{"alex", "sam"}

// entry is one file the day adds or changes.
type entry struct {
	path    string
	data    []byte
	author  string
	kind    string
	created time.Time
}

// bucketItem is an item of the shared list, open until someone marks it
// done.
type bucketItem struct {
	path, title, author, note string
	date                      civil.Date
	created                   time.Time
}

// zoneOf is a central European offset without a time-zone database: +02:00
// from April to October, +01:00 otherwise.
func zoneOf(d civil.Date) *time.Location {
	if d.Month >= time.April && d.Month <= time.October {
		return time.FixedZone("", 2*3600)
	}
	return time.FixedZone("", 3600)
}

// clock is a time on day d between the hours from and to.
func clock(rng *rand.Rand, d civil.Date, from, to int) time.Time {
	secs := from*3600 + rng.IntN((to-from)*3600)
	return d.In(zoneOf(d)).Add(time.Duration(secs) * time.Second)
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

// frontMatter renders the front matter every entry starts with, then
// extra keys in order.
func frontMatter(kind, author string, d civil.Date, created time.Time, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nkind: %s\nauthor: %s\ndate: %s\ncreated: %s\n", kind, author, d, created.Format(time.RFC3339))
	for i := 0; i+1 < len(extra); i += 2 {
		fmt.Fprintf(&b, "%s: %s\n", extra[i], extra[i+1])
	}
	b.WriteString("---\n\n")
	return b.String()
}

func monthDir(d civil.Date) string { return fmt.Sprintf("%04d/%02d", d.Year, int(d.Month)) }

// checkin is a Rose, Bud, Thorn entry.
func checkin(rng *rand.Rand, d civil.Date, author string) entry {
	created := clock(rng, d, 20, 24)
	var b strings.Builder
	b.WriteString(frontMatter("checkin", author, d, created))
	fmt.Fprintf(&b, "## Rose\n%s\n\n## Bud\n%s\n\n## Thorn\n%s\n", sentence(rng, roses), sentence(rng, buds), sentence(rng, thorns))
	return entry{
		path:    fmt.Sprintf("%s/%s-checkin-%s.md", monthDir(d), d, author),
		data:    []byte(b.String()),
		author:  author,
		kind:    "checkin",
		created: created,
	}
}

// thanks is a gratitude note, named by its time; taken says which paths
// the day already has.
func thanks(rng *rand.Rand, d civil.Date, author string, taken map[string]bool) entry {
	created := clock(rng, d, 7, 24)
	base := fmt.Sprintf("%s/%s-thanks-%s-%s", monthDir(d), d, author, created.Format("150405"))
	path := base + ".md"
	for n := 2; taken[path]; n++ {
		path = fmt.Sprintf("%s-%d.md", base, n)
	}
	taken[path] = true
	text := fmt.Sprintf("Thank you for %s. %s\n", pick(rng, gifts), sentence(rng, feelings))
	return entry{
		path:    path,
		data:    []byte(frontMatter("thanks", author, d, created) + text),
		author:  author,
		kind:    "thanks",
		created: created,
	}
}

// newBucket is a new item of the shared list, named from its title;
// taken holds every bucket path so far.
func newBucket(rng *rand.Rand, d civil.Date, author string, taken map[string]bool) *bucketItem {
	title := fmt.Sprintf("%s %s", pick(rng, bucketVerbs), pick(rng, bucketThings))
	slug := strings.ReplaceAll(strings.ToLower(title), " ", "-")
	path := "bucket/" + slug + ".md"
	for n := 2; taken[path]; n++ {
		path = fmt.Sprintf("bucket/%s-%d.md", slug, n)
	}
	taken[path] = true
	return &bucketItem{path: path, title: title, author: author, note: sentence(rng, bucketNotes),
		date: d, created: clock(rng, d, 9, 23)}
}

// render is the item's file, open or done (on d, by doneBy).
func (it *bucketItem) render(done bool, d civil.Date, doneBy string) []byte {
	extra := []string{"title", fmt.Sprintf("%q", it.title), "status", "open"}
	if done {
		extra = []string{"title", fmt.Sprintf("%q", it.title), "status", "done", "done", d.String(), "done-by", doneBy}
	}
	return []byte(frontMatter("bucket", it.author, it.date, it.created, extra...) + it.note + "\n")
}

// sentence joins a start from list with a random tail, so that files
// differ the way hand-written ones do.
func sentence(rng *rand.Rand, list []string) string {
	return pick(rng, list) + " " + pick(rng, tails)
}

var roses = []string{
	"The walk by the river after dinner", "You made coffee before I woke up", "We laughed at the same silly joke",
	"Dinner with the kids without a single phone", "A long hug in the kitchen", "The call from my sister",
	"Finishing the report a day early", "Sunshine on the balcony at lunch", "The new bread recipe worked",
	"We finally fixed the bike together", "A quiet evening reading side by side", "Your message in the afternoon",
}

var buds = []string{
	"The weekend at the lake", "Trying the new ramen place", "Seeing your parents on Sunday",
	"The concert next month", "Starting the garden beds", "A day off on Friday", "Planning the summer trip",
	"Our date night on Thursday", "The first swim of the year", "Painting the hallway together",
}

var thorns = []string{
	"I was short with you in the morning", "Too many meetings", "The car is making that noise again",
	"I missed our call", "Slept badly", "Work followed me home", "The argument about the dishes",
	"Felt lonely in the afternoon", "The rain ruined the picnic", "My back hurts",
}

var gifts = []string{
	"picking me up at the station", "listening when I needed it", "the flowers", "cooking tonight",
	"taking the kids to school", "the note in my bag", "fixing the sink", "being patient with me",
	"the surprise lunch", "remembering my appointment", "the back rub", "letting me sleep in",
}

var feelings = []string{
	"It made my day", "I felt seen", "I noticed and it mattered", "You are good to me",
	"I love how you do that", "It took a weight off", "I smiled all afternoon",
}

var bucketVerbs = []string{"Visit", "Try", "Learn", "See", "Cook", "Hike", "Build", "Sail to"}

var bucketThings = []string{
	"Lisbon", "the new ramen place", "salsa dancing", "the northern lights", "a five-course dinner",
	"the coastal path", "a treehouse", "the islands", "pottery", "Kyoto in spring", "the night market",
	"a sourdough starter", "the mountain hut", "a road trip north",
}

var bucketNotes = []string{
	"We talked about it on the sofa", "Saw it in a magazine", "Your idea, and a good one",
	"Since our first year together", "For our anniversary maybe", "When the kids are with grandma",
}

var tails = []string{
	"", "and it was enough.", "I want more of that.", "I keep thinking about it.", "Tell you more tomorrow.",
	"Small, but it counted.", "Again, please.", "Not sure why it stayed with me.",
}
