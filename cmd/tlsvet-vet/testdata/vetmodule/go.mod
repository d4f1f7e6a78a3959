module example.com/app

go 1.22

require github.com/go-sql-driver/mysql v1.9.3

// The stub the analysistest tests use: the test downloads nothing.
replace github.com/go-sql-driver/mysql => ../../mysqltls/testdata/src/github.com/go-sql-driver/mysql
