package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// versionText is what coop version prints: coop's module version, from
// its build info ("(devel)" when built from a checkout, with the commit
// if the build recorded it), and the Go that built it.
func versionText() string {
	version, commit, modified := "(unknown)", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if commit != "" {
		version += " " + commit[:min(len(commit), 12)]
		if modified {
			version += "+modified"
		}
	}
	return fmt.Sprintf("coop %s %s\n", version, runtime.Version())
}
