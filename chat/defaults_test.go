package chat

import (
	"reflect"
	"testing"
)

// TestServerConfigDefaults checks that a zero ServerConfig becomes DefaultServerConfig,
// that a set field keeps its value, and that every limit has a default (MaxConnections
// excepted: zero is no limit).
func TestServerConfigDefaults(t *testing.T) {
	t.Parallel()
	d := DefaultServerConfig()
	if got := (ServerConfig{}).withDefaults(); !reflect.DeepEqual(got, d) {
		t.Errorf("zero config with defaults:\n%+v\nwant\n%+v", got, d)
	}
	dv := reflect.ValueOf(d)
	for i := range dv.NumField() {
		f, name := dv.Field(i), dv.Type().Field(i).Name
		switch f.Kind() {
		case reflect.Int, reflect.Int64, reflect.Float64:
		default:
			continue // origins, hours, proxies, funcs: nil is meaningful
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if name == "MaxConnections" {
				if !f.IsZero() {
					t.Errorf("MaxConnections defaults to %v, want 0 (no limit)", f)
				}
				return
			}
			if f.IsZero() {
				t.Fatalf("%s has no default", name)
			}
			// A value of its own survives withDefaults.
			var c ServerConfig
			set := reflect.ValueOf(&c).Elem().Field(i)
			switch f.Kind() {
			case reflect.Float64:
				set.SetFloat(f.Float() + 1)
			default:
				set.SetInt(f.Int() + 1)
			}
			if got := reflect.ValueOf(c.withDefaults()).Field(i); !got.Equal(set) {
				t.Errorf("%s = %v is replaced by %v", name, set, got)
			}
		})
	}
}
