package service

import (
	"io/fs"
	"sync"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/projects"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// servedPipelines are the served project pipelines, read once for each data
// directory and registry, for the API and the portal.
var servedPipelines sync.Map // pipelinesKey → []*projects.Pipeline

type pipelinesKey struct {
	data fs.FS
	reg  *registry.Registry
}

// Pipelines is the served project pipelines: the shipped ones of the data
// directory (none when nil) and the illustrative example.
func Pipelines(data fs.FS, reg *registry.Registry) ([]*projects.Pipeline, error) {
	return cached(&servedPipelines, pipelinesKey{data, reg}, func() ([]*projects.Pipeline, error) {
		return projects.Served(data, reg, examples.Projects2026)
	})
}
