module github.com/coopgo/coop

go 1.26

require (
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/sys v0.47.0
)
