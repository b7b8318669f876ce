// Package sync keeps the journal in git: it opens and creates the
// repository, commits entries fast, and exchanges history with the
// partner's clone through a remote. It never runs the git binary; everything
// goes through go-git, and everything it writes stays valid for real git
// (git status, git fsck, git log work on the journal at any time).
// Callers import it as gitsync, since its name shadows the standard
// library's.
//
// # Writing
//
// [Init] creates a journal repository (branch main) with a first commit;
// [Open] opens one. A write takes the repository lock with [Repo.Lock] and
// calls [Repo.Commit] with the changed files. Commit costs the depth of the
// paths it touches, not the size of the journal: it writes the files
// atomically, builds only the trees on their paths with [EditTree], moves
// refs/heads/main with a compare-and-swap, and updates only the index
// entries of those files, with their stat data, so git sees a clean work
// tree without hashing anything. [Repo.ApplyToWorktree] is the work-tree and
// index half of that, for callers (the merge) that build commits themselves.
//
// A journal is private whatever the umask: [Init] makes the folder (even one
// that existed) and .git 0700 and everything go-git put in .git private;
// [Clone] does the same with [Repo.MakeAllPrivate], and writers call
// [Repo.MakePrivate] as they open the journal. A folder remote that a first
// push creates is 0700.
//
// # Syncing
//
// [Repo.Sync] exchanges history with the journal's remote (DESIGN §4): it
// commits hand edits first, fetches, classifies with one merge base, and
// fast-forwards or merges by path, key by key and section by section
// ([Options.MergeFile]), keeping the partner's version of what still
// clashes as a conflict copy ([IsConflictCopy], named after the partner
// whose version it holds: the author of the commit that made that version,
// [Options.AuthorName]; when the history cannot tell, who the file says
// wrote it, [Options.WrittenBy]: the file format is the journal package's,
// and sync neither parses front matter nor makes names from it); then it pushes only the
// new objects, retrying when the partner pushed meanwhile, never forcing.
// [Clone] starts a second machine; [Repo.Join] merges a journal begun
// apart into the one at a remote, with the same rules and no common
// version (the joined journal's settings win); [Repo.Fetch] and
// [Repo.Status] look without merging. Remotes are a folder (objects copied directly), SSH
// (agent or key file, host keys checked against known_hosts) or HTTPS (a
// token as basic auth, to a server whose certificate the system trusts;
// over plain http only to this machine); credentials never reach
// .git/config or a message ([Redact], [StripCredentials], [CheckRemote]).
//
// # Paths from git
//
// Every path that leaves git for the work tree passes one gate,
// [gitpath.Check] (in internal/gitpath, shared with the journal package's
// read cache): what git's verify_path refuses and more: empty, ".", "..",
// absolute, backslashes, ".git" in any case and every alias a file system
// reads as .git (".git.", ".git ", "git~1", names with invisible code
// points), control characters, bytes that are not UTF-8, names over 255
// bytes, and any mode but a regular file or a folder (links, submodules).
// It is applied where a tree entry's name first becomes a path: the tree
// walk of a clone (Clone's checkoutAll), the tree diff every fast-forward,
// merge and interrupted sync goes through (diffTrees, then
// planWorktree, the one place a sync decides what reaches the work tree),
// the changes of a commit (checkChanges), the hand-edit scan (an index
// entry or a file at a path the gate refuses is never looked at or
// committed), and, in the journal package, the listing of entry files.
//
// What the gate refuses from the partner is kept out, not refused: a
// merge or fast-forward keeps it in the commit's tree (history is shared
// and both journals must converge; the partner's commits are never
// rewritten), never writes it to the work tree, and records it in the
// index as a skip-worktree entry, which matches HEAD and which git never
// looks for in the work tree, so git status stays clean. The same goes for
// a file whose folder is a file in the work tree (a partner's 2026/10
// where October's folder goes): it is written by the first sync after the
// file in the way is gone. A sync names what it kept out once
// ([Result.Quarantined]); [Repo.Status] lists it ([Status.Quarantined]);
// everything else keeps syncing. In a merge, a file and a folder at one
// path keep the folder there and the file beside it as a conflict copy.
//
// A clone is stricter: a tree with a path that would land outside the
// journal or in .git is refused whole, before any file is written, and
// nothing is left behind; other paths the gate refuses are kept out as a
// sync keeps them. A reconnect write below a file fails with a
// [*FolderError] before anything is written.
//
// # Your entries are yours
//
// A sync never applies silently a change that someone else's commit made to
// one of your dated entries ([Options.EntryAuthor] says whose a file is):
// yours stays at its path, an edit of theirs is kept beside it as a conflict
// copy named after them, a delete is undone, and [Result.Protected] says
// so; a fast-forward that would carry such a change becomes a merge. Your
// own commits from another machine apply as usual, and shared items merge
// as always. A file someone else's commit adds in your name is named in
// [Result.Forged] and listed by [Repo.Status] until it is gone. The rule
// lives in yours.go.
//
// # Crash safety
//
// Nothing acknowledged is ever lost, whatever is killed when. The rules,
// each kept in one place:
//   - A ref (main, the remote-tracking branch, a folder remote's main)
//     moves only through updateRef: git's lock-file protocol with the new
//     value written and synced first, a reflog entry synced before the
//     rename, the folder synced after; and only after the objects it points
//     to are synced (durableStore.flush). A ref that is empty, cut short or
//     missing while its reflog shows it existed wraps [ErrBrokenRef]; it is
//     never read as an unborn branch, so a journal never gets a second root.
//   - [Repo.Lock] is an OS lock that dies with its process. Taking it
//     clears what a killed reconnect left: the git lock files it held
//     (provably its own: hard links to a file in .git/reconnect-tmp), the
//     temporary files there, a damaged branch (from its reflog or the
//     remote-tracking branch; [Repo.Repair] when nothing records it), and
//     the work-tree half of a sync killed after main moved. A folder
//     remote has the same lock for pushes, so a killed push never blocks it.
//   - Files reach the work tree only through writeFiles (placeFile: by
//     rename from .git/reconnect-tmp, never from a temporary file beside
//     them; a clone's checkout is the one other way in), and only at paths
//     the gate let in ([gitpath.Check]); writeFiles never writes below a
//     file or through a link; a commit that fails before main
//     moves puts the work tree back; once main has moved the write has
//     succeeded, and a failure after (the index) is a note through
//     [Repo.Notify], never an error that invites a duplicate retry.
//   - An [Init] or [Clone] killed half-way is begun again ([Unfinished]).
//
// # Errors
//
// Errors are wrapped with what was being done and name the file or folder.
// Test them with errors.Is against these sentinels:
//   - [ErrNotRepo]: the folder has no .git; the journal was never created
//     there.
//   - [ErrLocked]: another reconnect process held the lock until the context
//     ended or for 30 seconds; the message names its pid, host and command.
//     When the context was cancelled or timed out, the error also wraps the
//     context's error.
//   - [ErrNoChange]: a commit would not change the tree; nothing was
//     committed.
//   - [ErrBadPath]: a path the gate refuses ([gitpath.Check]; it is
//     gitpath.ErrBadPath), or edits that contradict each other. A clone
//     refused because its tree would write outside the journal or into
//     .git wraps it too (and gitpath.ErrOutside).
//   - [*FolderError] (errors.As): a write below a file or a link, in the
//     work tree or in the last commit; it names the file in the way.
//   - [ErrNotOnMain]: HEAD does not point at refs/heads/main (someone
//     switched branches by hand); nothing was written.
//   - [ErrBrokenRef]: main is damaged and nothing records where it was;
//     the message names the file, and [Repo.Repair] mends it.
//
// Sync, Fetch and Clone add:
//   - [ErrOffline]: the remote could not be reached, or did not answer
//     before the context's deadline (the error then also wraps
//     context.DeadlineExceeded), or a folder remote that synced before is
//     missing; everything is safe locally.
//   - [ErrAuth]: the remote refused the credentials.
//   - [ErrHostKey]: an SSH host key is unknown or changed; the error is a
//     [*HostKeyError] with the fingerprint and how to trust it.
//   - [ErrCertificate]: an HTTPS server's certificate is not trusted; the
//     error names the x509 reason and what to do.
//   - [ErrCleartext]: a token or password would have gone over plain
//     http:// to another machine; refused before connecting.
//   - [ErrRemoteHasJournal]: the remote holds a journal with no history in
//     common with this one; from Sync, an [*UnrelatedError] naming the
//     remote, which [Repo.Join] merges this journal into.
//   - [ErrNoRemote], [ErrRemoteEmpty], [ErrRemoteNotFound]: no remote set,
//     a remote with no main yet, a repository that does not exist.
//   - [ErrRejected]: the push kept being overtaken by the partner's.
//   - [ErrUnfinishedMerge]: git left a merge half done in the journal.
//   - [ErrBadRemote]: an address no transport here can use.
//
// Any other error (a full disk, a corrupt object) is an I/O failure with
// its cause wrapped.
//
// # Contexts
//
// Every network step is bounded by the context given to Sync, Fetch and
// Clone: the TCP connect, the SSH handshake, each answer of ssh-agent,
// every read and write of git-upload-pack and git-receive-pack over SSH,
// and each HTTP request and the reading of its body. A server that accepts
// the connection and then says nothing holds an operation only until the
// context ends: an SSH connection gets a deadline in the past, which fails
// a blocked read or write at once, and net/http ends a request with its
// context. The operation then returns context.Canceled when the context
// was cancelled (Ctrl-C), and [ErrOffline] wrapping
// context.DeadlineExceeded when its deadline passed. New code that talks
// to a remote keeps to this rule: no step on a connection without the
// operation's context.
package sync
