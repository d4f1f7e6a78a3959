package main

import "example.com/app/db"

func main() { db.Open() }
