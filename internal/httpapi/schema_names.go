package httpapi

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/swaggest/jsonschema-go"

	"fupin/internal/aid"
	"fupin/internal/asof"
	"fupin/internal/criteria"
	"fupin/internal/practice"
	"fupin/internal/sqlstore"
)

// The OpenAPI document names each schema explicitly, so that the console's
// generated types (Schemas['Household'], Schemas['Cadre']) do not change
// when a Go type moves between packages. A schema is named after its Go
// type (exported form: meBody is MeBody); schemaNames renames the types
// whose Go name alone is too generic. Two types under one name fail the
// document's generation (TestSchemaNamesUnique).
var schemaNames = map[reflect.Type]string{
	reflect.TypeFor[aid.Group]():         "AidGroup",
	reflect.TypeFor[asof.Info]():         "AsOfInfo",
	reflect.TypeFor[aid.Unit]():          "AidUnit",
	reflect.TypeFor[aid.Summary]():       "AidSummary",
	reflect.TypeFor[aid.Settings]():      "AidSettings",
	reflect.TypeFor[aid.SettingRow]():    "AidSettingRow",
	reflect.TypeFor[aid.SettingsView]():  "AidSettingsView",
	reflect.TypeFor[sqlstore.Summary]():  "AssessmentSummary",
	reflect.TypeFor[criteria.Check]():    "CriteriaCheck",
	reflect.TypeFor[criteria.Def]():      "CriteriaDef",
	reflect.TypeFor[criteria.Fact]():     "CriteriaFact",
	reflect.TypeFor[criteria.ParamUse](): "CriteriaParamUse",
	reflect.TypeFor[criteria.Result]():   "CriteriaResult",
	reflect.TypeFor[criteria.Signal]():   "CriteriaSignal",
	reflect.TypeFor[criteria.Verdict]():  "CriteriaVerdict",
	reflect.TypeFor[practice.Document](): "PracticeDocument",
	reflect.TypeFor[practice.Figure]():   "PracticeFigure",
}

// schemaNamer returns the reflector option that names schemas and
// records which type holds each name, failing on a second type.
func schemaNamer(errp *error) func(*jsonschema.ReflectContext) {
	taken := map[string]reflect.Type{}
	return jsonschema.InterceptDefName(func(t reflect.Type, def string) string {
		name := schemaName(t, def)
		if prev, ok := taken[name]; ok && prev != t && *errp == nil {
			*errp = fmt.Errorf("openapi: schema name %s is used by %v and %v", name, prev, t)
		}
		taken[name] = t
		return name
	})
}

// schemaName is the schema name of t; def is the library's default
// (package name + type name, with a FormData prefix for form bodies).
func schemaName(t reflect.Type, def string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" || strings.Contains(t.Name(), "[") {
		return def
	}
	name, ok := schemaNames[t]
	if !ok {
		name = strings.ToUpper(t.Name()[:1]) + t.Name()[1:]
	}
	if strings.HasPrefix(def, "FormData") {
		name = "FormData" + name
	}
	return name
}
