package journal

// FieldHidden is the front-matter key set to true on the stand-in shown in
// place of an answer the reader may not see yet (see [MaySeeAnswer]).
const FieldHidden = "hidden"

// MaySeeAnswer is the sealed-answer rule of the question of the day: who
// may read the answer that author wrote to a day's question. Your own
// answer you always see; a partner's stays sealed until you have answered
// that day's question yourself (answered), since the ritual is to answer
// without knowing theirs. A reader with no name ("") sees no partner's
// answer.
func MaySeeAnswer(reader, author string, answered bool) bool {
	return author == reader || (reader != "" && answered)
}
