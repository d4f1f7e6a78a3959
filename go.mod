module github.com/tlsvet/tlsvet

go 1.22
