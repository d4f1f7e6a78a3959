package txtar

import "testing"

func TestParse(t *testing.T) {
	a := Parse([]byte("comment\n-- a.cnf --\n[mysqld]\n-- not a marker\n-- @fixed/b/c.cnf --\nx\n-- empty --\n"))
	if a.Comment != "comment\n" || len(a.Files) != 3 {
		t.Fatalf("comment %q, %d files", a.Comment, len(a.Files))
	}
	if a.Files[0].Name != "a.cnf" || string(a.Files[0].Data) != "[mysqld]\n-- not a marker\n" {
		t.Errorf("file 0 = %q %q", a.Files[0].Name, a.Files[0].Data)
	}
	if a.Files[1].Name != "@fixed/b/c.cnf" || string(a.Files[1].Data) != "x\n" || a.Files[2].Name != "empty" || len(a.Files[2].Data) != 0 {
		t.Errorf("files 1-2 = %+v", a.Files[1:])
	}
}
