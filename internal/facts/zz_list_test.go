package facts
import ("testing";"fmt")
func TestListX(t *testing.T){ for _,o:=range Options(){ fmt.Printf("%s %v progs=%v needs=%v ro=%v\n",o.Name,o.Kind,o.Programs,o.NeedsValue,o.ReadOnly)} }
