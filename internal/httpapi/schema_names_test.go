package httpapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/swaggest/jsonschema-go"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestSchemaNames checks that schemas are named after the types, not the
// Go packages that hold them.
func TestSchemaNames(t *testing.T) {
	doc, err := (&Server{}).OpenAPI()
	if err != nil {
		t.Fatalf("OpenAPI: %v", err)
	}
	var d struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Household", "Member", "Cadre", "Rotation", "AidGroup", "AidSummary", "AssessmentSummary", "CriteriaVerdict", "MeBody", "FormDataImportIn"} {
		if _, ok := d.Components.Schemas[want]; !ok {
			t.Errorf("no schema %s", want)
		}
	}
	for name := range d.Components.Schemas {
		for _, pkg := range []string{"Sqlstore", "Httpapi", "Fupin", "RegionRegion", "FormDataHttpapi"} {
			if strings.HasPrefix(name, pkg) {
				t.Errorf("schema %s is named after a Go package", name)
			}
		}
	}
}

// TestSchemaNamesUnique checks that two types under one name are an error
// rather than one silently replacing the other in the document.
func TestSchemaNamesUnique(t *testing.T) {
	type Household struct{ X int }
	var err error
	rc := jsonschema.ReflectContext{}
	schemaNamer(&err)(&rc)
	if got := rc.DefName(reflect.TypeFor[fupin.Household](), "FupinHousehold"); got != "Household" {
		t.Errorf("fupin.Household named %s", got)
	}
	if got := rc.DefName(reflect.TypeFor[aid.Group](), "AidGroup"); got != "AidGroup" || err != nil {
		t.Errorf("aid.Group named %s (%v)", got, err)
	}
	if got := rc.DefName(reflect.TypeFor[sqlstore.Summary](), "SqlstoreSummary"); got != "AssessmentSummary" {
		t.Errorf("sqlstore.Summary named %s", got)
	}
	rc.DefName(reflect.TypeFor[Household](), "HttpapiHousehold")
	if err == nil || !strings.Contains(err.Error(), "Household") {
		t.Errorf("a second type named Household: err = %v, want a naming error", err)
	}
}
