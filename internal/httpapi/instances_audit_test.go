package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Concurrent writers on two servers sharing one database, each server with its own pool, as
// under the soak: every household is written through both, each write after a read of the
// household (audited as person.view, in the read-audit batches). Afterwards the audit chain,
// keyed with the one key both servers hold, verifies from start to end, and every write that
// was acknowledged is in the registry and in the log. On PostgreSQL the writers of both
// servers append to the chain at once; only the chain's lock keeps them in one line.
func TestConcurrentWritersTwoInstancesKeepChain(t *testing.T) {
	dbtest.EachPair(t, func(t *testing.T, a, b *sqlstore.DB) {
		seal := sqlstore.AuditSeal{Key: []byte("key-of-both-servers-0123456789"), Checkpoints: filepath.Join(t.TempDir(), "checkpoints")}
		for _, db := range []*sqlstore.DB{a, b} {
			if err := db.SealAudit(ctx(), seal); err != nil {
				t.Fatal(err)
			}
		}
		ca, cb := twoInstances(t, a, b)
		const households, writers, writes = 4, 3, 10
		var ids []int64
		for i := range households {
			s, body := ca.do("POST", "/api/v1/households", household(id("500236", fmt.Sprintf("197%d0101", i), 1), id("500236", fmt.Sprintf("197%d0101", i), 2), "500236266001"))
			if s != 201 {
				t.Fatalf("create %d: %d %v", i, s, body)
			}
			ids = append(ids, int64(body["id"].(float64)))
		}
		var mu sync.Mutex
		acked := map[string]int64{} // phone → household
		var wg sync.WaitGroup
		for w := range 2 * writers {
			c := []*client{ca, cb}[w%2]
			wg.Go(func() {
				for k := range writes {
					hid := ids[(w+k)%households]
					phone := fmt.Sprintf("139%02d%02d%04d", w, k, hid%10000)
					ok, err := writePhone(c, hid, phone)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						mu.Lock()
						acked[phone] = hid
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		if len(acked) < households {
			t.Fatalf("only %d writes acknowledged", len(acked))
		}
		n, problem, err := a.VerifyAudit(ctx())
		if err != nil || problem != nil {
			t.Fatalf("audit chain after concurrent writers on two servers: %d entries, %+v, %v", n, problem, err)
		}
		logged := map[string]int64{}
		for _, hid := range ids {
			hist, err := b.HouseholdHistory(ctx(), fupin.SystemActor("test"), hid)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range hist {
				var after struct{ Phone string }
				if e.Action == "household.update" && json.Unmarshal(e.After, &after) == nil {
					logged[after.Phone] = hid
				}
			}
		}
		for phone, hid := range acked {
			if logged[phone] != hid {
				t.Errorf("acknowledged write of %s on household %d has no audit entry", phone, hid)
			}
		}
		if len(logged) != len(acked) {
			t.Errorf("%d household.update entries, %d writes acknowledged", len(logged), len(acked))
		}
	})
}

// writePhone reads household hid through c and writes it back with phone, as the soak's
// writes do. It reports whether the write was acknowledged (200); a conflict (409, another
// writer changed the household in between) is not an error.
func writePhone(c *client, hid int64, phone string) (bool, error) {
	url := fmt.Sprintf("%s/api/v1/households/%d", c.srv.URL, hid)
	status, body, err := callFrom(c, "GET", url, nil)
	if err != nil || status != 200 {
		return false, fmt.Errorf("read %d: %d %s %v", hid, status, body, err)
	}
	var h map[string]any
	if err := json.Unmarshal(body, &h); err != nil {
		return false, err
	}
	h["phone"] = phone
	out, _ := json.Marshal(h)
	status, body, err = callFrom(c, "PUT", url, out)
	switch {
	case err != nil:
		return false, err
	case status == 409:
		return false, nil
	case status != 200:
		return false, fmt.Errorf("write %d: %d %s", hid, status, body)
	}
	return true, nil
}

// callFrom is client.do for other goroutines than the test's: errors are returned.
func callFrom(c *client, method, url string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}
