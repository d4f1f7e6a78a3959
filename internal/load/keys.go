package load

import (
	"errors"
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/internal/gitindex"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/pki"
)

// Private keys in the repository (TV507): files named as certificates
// and keys usually are are read for private keys, and git's index says
// whether they are tracked (staged files included, so pre-commit sees a
// key being added).

// keyExts are the file name extensions of certificate and key files.
var keyExts = map[string]bool{".pem": true, ".key": true, ".crt": true, ".cer": true, ".der": true, ".p12": true, ".pfx": true}

// KeyName reports whether name is a certificate or key file's name (the
// pre-commit hooks select the same names).
func KeyName(name string) bool { return keyExts[strings.ToLower(path.Ext(name))] }

// keyBlock returns the span of the first private key in f, or an invalid
// span when it holds none. A PKCS#12 bundle (.p12, .pfx) holds its key
// encrypted in a binary container: the whole file stands for it.
func keyBlock(f *source.File, read *pki.File) source.Span {
	switch strings.ToLower(path.Ext(f.Path)) {
	case ".p12", ".pfx":
		if len(f.Content) > 0 {
			return f.Span(0, len(f.Content))
		}
		return source.Span{}
	}
	for _, bl := range read.Blocks {
		if bl.Key != nil && bl.Key.Private || bl.Kind == pki.PrivateKey {
			return bl.Span
		}
	}
	return source.Span{}
}

// trackKeys says which key files git tracks: listed in .git/index, or,
// in a tree without .git, not ignored by its .gitignore files.
func (b *builder) trackKeys() {
	if len(b.p.KeyFiles) == 0 {
		return
	}
	var open gitindex.OpenGitDir
	if b.opt.RootDir != "" {
		open = gitindex.WorktreeOpener(b.opt.RootDir)
	}
	idx, err := gitindex.Tracked(b.opt.FS, ".", open)
	var ex *gitindex.Excludes
	if errors.Is(err, gitindex.ErrNoRepository) {
		ex = gitindex.NewExcludes(b.opt.FS, ".")
	}
	for i := range b.p.KeyFiles {
		k := &b.p.KeyFiles[i]
		name := k.Span.File.Path
		switch {
		case idx != nil && err == nil:
			k.Tracked, k.How = idx.Has(name), "tracked in .git/index"
		case ex != nil:
			ignored, ierr := ex.Ignored(name, false)
			k.Tracked, k.How = ierr == nil && !ignored, "not ignored by .gitignore (no .git in the scanned root)"
		}
	}
}
