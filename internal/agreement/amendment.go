package agreement

import (
	"gopkg.in/yaml.v3"

	"github.com/mineralpact/mineralpact/internal/date"
)

// Amendment changes the agreement from its effective date on.
type Amendment struct {
	ID        string    `yaml:"id" json:"id" required:"true" doc:"Amendment identifier."`
	Title     string    `yaml:"title" json:"title" required:"true" doc:"What it does."`
	Adopted   date.Date `yaml:"adopted" json:"adopted,omitzero" doc:"Date of adoption."`
	Effective date.Date `yaml:"effective" json:"effective" required:"true" doc:"First day the amended text applies."`
	Basis     string    `yaml:"basis" json:"basis" required:"true" doc:"Article under which it was adopted (e.g. the amendment procedure)."`
	Changes   []Change  `yaml:"changes" json:"changes" required:"true" doc:"The edits, applied in order."`
}

// Change is one edit of an amendment. Path addresses a field the way errors
// name it, with list elements selected by id (or stage) or by index:
// parties[US].instruments[us-li-vd].cap.ad_valorem.
type Change struct {
	Op    ChangeOp `yaml:"op" json:"op" required:"true" enum:"set|add|remove" doc:"set: replace the value at path; add: append value to the list at path; remove: delete the element at path."`
	Path  string   `yaml:"path" json:"path" required:"true" doc:"Field path, e.g. parties[US].instruments[us-li-vd].cap.ad_valorem."`
	Value any      `yaml:"value" json:"value,omitzero" doc:"New value (set, add)."`

	node *yaml.Node // the value as written, decoded into the amended field's type
}

// KeepNode records the YAML node of the value, so that applying the change
// decodes it with the file's positions and no detour through JSON.
func (c *Change) KeepNode(field string, n *yaml.Node) {
	if field == "value" {
		c.node = n
	}
}
