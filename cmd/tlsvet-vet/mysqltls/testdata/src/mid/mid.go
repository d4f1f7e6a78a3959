package mid // want package:"registers custom"

// mid registers nothing itself but imports a package that does: its fact
// carries the name on, as go vet gives a package its direct imports'
// facts only.
import _ "reg"
