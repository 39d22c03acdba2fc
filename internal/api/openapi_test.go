package api

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/schema_validation"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

// TestOpenAPI checks openapi.json against the OpenAPI 3.1 schema, then every
// answer of the test tables against the document: a routed answer against its
// operation (status, content type, body schema), an unrouted one (404, 405)
// against the Error schema.
func TestOpenAPI(t *testing.T) {
	doc, err := libopenapi.NewDocument(OpenAPI())
	if err != nil {
		t.Fatalf("libopenapi.NewDocument(openapi.json) = %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator.NewValidator = %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("openapi.json: %s: %s", e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  %s: %s", se.FieldPath, se.Reason)
			}
		}
		t.FailNow()
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("BuildV3Model = %v", err)
	}
	errorSchema := model.Model.Components.Schemas.GetOrZero("Error").Schema()
	schemas := schema_validation.NewSchemaValidator()

	for _, c := range successCases {
		t.Run("request/"+c.name, func(t *testing.T) {
			req, _ := serve(t, c)
			if ok, verrs := v.ValidateHttpRequest(req); !ok {
				for _, e := range verrs {
					t.Errorf("%s %s: request does not match the document: %s: %s", req.Method, c.target, e.Message, e.Reason)
				}
			}
		})
	}
	cases := append(append([]apiCase{}, successCases...), errorCases...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, w := serve(t, c)
			if c.method == "HEAD" {
				return // no body to check
			}
			if !c.unrouted {
				if ok, verrs := v.ValidateHttpResponse(req, w.Result()); !ok {
					for _, e := range verrs {
						t.Errorf("%s %s → %d: %s: %s", req.Method, c.target, w.Code, e.Message, e.Reason)
						for _, se := range e.SchemaValidationErrors {
							t.Errorf("  %s: %s", se.FieldPath, se.Reason)
						}
					}
				}
				return
			}
			if ok, verrs := schemas.ValidateSchemaBytes(errorSchema, w.Body.Bytes()); !ok {
				for _, e := range verrs {
					t.Errorf("%s %s → %d: not the Error schema: %s: %s", req.Method, c.target, w.Code, e.Message, e.Reason)
				}
			}
		})
	}
}

// TestOpenAPICoversRoutes checks that the document and the server know the
// same routes.
func TestOpenAPICoversRoutes(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	served := New(testDeps(t)).routes
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("openapi.json documents\n\t%s\nthe server routes\n\t%s", strings.Join(documented, "\n\t"), strings.Join(served, "\n\t"))
	}
}

// TestAgreementMatchesItsSchema checks the agreement that /v1/agreement
// answers against the JSON Schema that /v1/agreement/schema serves.
func TestAgreementMatchesItsSchema(t *testing.T) {
	raw, err := agreement.Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	comp.AssertFormat()
	if err := comp.AddResource("agreement.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := comp.Compile("agreement.json")
	if err != nil {
		t.Fatalf("compiling the agreement schema: %v", err)
	}
	for _, asOf := range []string{"2026-01-01", "2027-06-01"} {
		_, w := serve(t, apiCase{target: "/v1/agreement?as_of=" + asOf})
		var body struct {
			Agreement json.RawMessage `json:"agreement"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(body.Agreement)))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("/v1/agreement?as_of=%s: agreement does not match its schema: %v", asOf, err)
		}
	}
}
