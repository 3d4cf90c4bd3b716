package main

import (
	"bytes"
	"os"
	"testing"
)

func TestDemo(t *testing.T) {
	want, err := os.ReadFile("expected.txt")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := demo(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("demo printed:\n%s\nwant (expected.txt):\n%s", got.String(), want)
	}
}
