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
// # Errors
//
// Errors are wrapped with what was being done and name the file or folder.
// Test them with errors.Is against these sentinels:
//   - [ErrNotRepo]: the folder has no .git; the journal was never created
//     there.
//   - [ErrLocked]: another reconnect process held the lock until the context
//     ended; the message names its pid and host. When the context was
//     cancelled or timed out, the error also wraps the context's error.
//   - [ErrNoChange]: a commit would not change the tree; nothing was
//     committed.
//   - [ErrBadPath]: a path git cannot store, or edits that contradict each
//     other.
//   - [ErrNotOnMain]: HEAD does not point at refs/heads/main (someone
//     switched branches by hand); nothing was written.
//
// Any other error (a full disk, a corrupt object) is an I/O failure with
// its cause wrapped.
package sync
