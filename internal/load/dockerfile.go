package load

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/dockerfile"
	"github.com/tlsvet/tlsvet/parsers/mycnf"
)

// Dockerfiles (parsers/dockerfile): a stage built FROM a MySQL-family
// image is a server of that version; the repository files it COPYs or
// ADDs into the image's option-file paths are its option files, and an
// exec-form CMD or ENTRYPOINT gives its command line. The build context
// is taken to be the Dockerfile's directory, as `docker build .` beside
// it does.

// dockerDeclared reads the Dockerfiles among files.
func (b *builder) dockerDeclared(files []*source.File, mounted map[string]bool) []declared {
	var out []declared
	for _, f := range files {
		if !dockerfile.Detect(f.Path) {
			continue
		}
		df := dockerfile.Parse(f)
		for _, p := range df.Problems {
			b.p.Problems = append(b.p.Problems, model.Problem{Span: p.Span, Message: p.Msg})
		}
		for _, st := range df.Stages {
			if d, ok := b.stage(f, st, mounted); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// stage is the server a build stage makes, if its base image is one.
func (b *builder) stage(f *source.File, st *dockerfile.Stage, mounted map[string]bool) (declared, bool) {
	img, ok := facts.ParseImage(st.Image.Text)
	if !ok || st.Image.Unknown {
		return declared{}, false
	}
	iv := facts.ResolveImage(img)
	name := st.Name
	if name == "" {
		name = path.Base(f.Path)
	}
	dep := &model.Deployment{Kind: "Dockerfile stage", Name: name, Span: st.Image.Span, Image: st.Image.Text,
		ImageSpan: st.Image.Span, ImageBy: "image " + iv.Phrase + " (" + path.Base(f.Path) + ")"}
	d := declared{dep: dep, target: iv.Target, known: iv.Basis != facts.TagUnknown}
	ctx := path.Dir(f.Path)
	type read struct {
		order int
		r     *mycnf.Result
	}
	var reads []read
	for _, cp := range st.Copies {
		if cp.From != nil {
			continue // from another stage or image: not repository files
		}
		for _, src := range cp.Sources {
			if !src.Context || src.Remote || src.Heredoc != nil {
				continue
			}
			host := path.Join(ctx, src.ContextPath)
			info, err := fs.Stat(b.opt.FS, host)
			if err != nil {
				continue
			}
			dest := cp.Dest.Text
			if cp.DestIsDir || strings.HasSuffix(dest, "/") {
				if !info.IsDir() {
					dest = strings.TrimSuffix(dest, "/") + "/" + path.Base(host)
				}
			}
			if strings.HasPrefix(dest, "/") {
				placed(&dep.Files, path.Clean(dest), host, info.IsDir())
			}
			reads2, order, why := facts.ReadsOptionFile(img, iv.Target, dest, info.IsDir())
			if !reads2 {
				if strings.HasSuffix(host, ".cnf") || optionPath(dest) {
					dep.Ignored = append(dep.Ignored, model.IgnoredFile{Span: cp.Dest.Span, Path: dest, Reason: why})
				}
				continue
			}
			for _, n := range b.optionFilesAt(host, info.IsDir()) {
				mounted[n] = true
				reads = append(reads, read{order, b.readOption(n)})
			}
		}
	}
	// Option files RUN writes (printf, echo, heredocs) or COPY <<EOF
	// creates, when their text is a plain literal.
	for _, wf := range st.Files {
		if !wf.Known || wf.Path.Unknown {
			continue
		}
		ok, order, why := facts.ReadsOptionFile(img, iv.Target, wf.Path.Text, false)
		if !ok {
			if optionPath(wf.Path.Text) {
				dep.Ignored = append(dep.Ignored, model.IgnoredFile{Span: wf.Path.Span, Path: wf.Path.Text, Reason: why})
			}
			continue
		}
		reads = append(reads, read{order, decoded(f, wf.Content, wf.ContentSpan)})
	}
	sort.SliceStable(reads, func(i, j int) bool { return reads[i].order < reads[j].order })
	for _, r := range reads {
		d.files = append(d.files, r.r)
	}
	for _, cmd := range []*dockerfile.Command{st.Entrypoint, st.Cmd} {
		if cmd == nil || !cmd.Exec {
			continue
		}
		flags, sw := wordFlags(cmd.Args)
		if len(flags) > 0 && !d.flagsAt.IsValid() {
			d.flagsAt = cmd.Span
		}
		d.flags = append(d.flags, flags...)
		dep.Swallowed = append(dep.Swallowed, sw...)
	}
	return d, true
}

// wordFlags reads the server options of an exec-form command's words.
func wordFlags(words []dockerfile.Word) ([]*model.Setting, []model.Swallow) {
	cw := make([]cmdWord, len(words))
	for i := range words {
		w := &words[i]
		cw[i] = cmdWord{text: w.Text, skip: w.Unknown, span: w.Span, spanOf: w.Sub, quote: jsonQuote}
	}
	return commandFlags(cw, "command-line flag in a Dockerfile exec form")
}

// jsonQuote spells text inside a JSON string of an exec form.
func jsonQuote(text string) (string, bool) {
	var b strings.Builder
	for _, r := range text {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			return "", false
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}
