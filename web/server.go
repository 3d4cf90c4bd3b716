package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/trace"
)

//go:embed assets
var assets embed.FS

// Run is the run a [Server] shows: one program on one simulated board,
// paced by a [session.Pacer] on the loop's virtual clock.
type Run struct {
	Program string // the program's name, for the title and the downloads
	Seed    uint64 // the board's seed, for the recorded scenario
	Board   *sim.Board
	Pacer   *session.Pacer
	// ObserveTasks registers a function to call, on the loop, at every
	// change of a task's state; nil shows no tasks.
	ObserveTasks func(fn func(coop.TaskEvent)) (cancel func())
}

// Config configures a [Server]. The zero value serves on a free port of
// 127.0.0.1, without a token.
type Config struct {
	// Addr is the address to listen on, host:port. Empty means
	// 127.0.0.1:0, a free port of the loopback interface.
	Addr string
	// Token is the secret a request must carry (in the URL's token
	// query, then in a cookie the page gets): needed on an address other
	// than loopback, where anyone on the network could drive the board.
	// Empty on such an address means one is generated; [Server.URL]
	// carries it.
	Token string
	// History is how many records the server keeps; zero means
	// DefaultHistory.
	History int
}

// ErrForbidden is the error the server logs for a refused request; the
// client gets 403 Forbidden.
var ErrForbidden = errors.New("web: forbidden")

// tokenCookie is the cookie that carries the token after the first
// request.
const tokenCookie = "coop_web_token"

// Server serves the live page of a run and streams its state over a
// websocket. Make one with [New] before the program starts, then
// [Server.Start] it.
type Server struct {
	run   Run
	cfg   Config
	hub   *hub
	token string
	local bool // bound to loopback: check Host against DNS rebinding

	ln   net.Listener
	http *http.Server
	quit chan struct{}
	wg   sync.WaitGroup

	mu      sync.Mutex // clients and sent, so that a hello and the batches that follow fit
	clients map[*client]struct{}
	sent    uint64   // the records sent in batches so far
	shown   snapshot // the state as of the records sent
	nInputs int      // the inputs sent so far
}

// New makes the server of run and starts recording what happens on its
// board. Call it on the loop before the program starts (before the pacer
// runs), so that every pin level is seen. It listens only once started.
func New(run Run, cfg Config) (*Server, error) {
	if run.Board == nil || run.Pacer == nil {
		return nil, errors.New("web: New needs a run with a board and a pacer")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		var ae *net.AddrError
		if errors.As(err, &ae) {
			return nil, fmt.Errorf("web: address %q: %s (give host:port, such as 127.0.0.1:8080)", cfg.Addr, ae.Err)
		}
		return nil, fmt.Errorf("web: address %q: %w", cfg.Addr, err)
	}
	s := &Server{run: run, cfg: cfg, token: cfg.Token, local: isLoopback(host),
		quit: make(chan struct{}), clients: map[*client]struct{}{}}
	if !s.local && s.token == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("web: token: %w", err)
		}
		s.token = hex.EncodeToString(b[:])
	}
	s.hub = newHub(run, cfg.History)
	s.shown = s.hub.base.clone()
	return s, nil
}

// isLoopback reports whether host names the loopback interface only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Start listens and serves on goroutines until [Server.Close].
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	s.ln = ln
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.wg.Go(func() { s.http.Serve(ln) })
	s.wg.Go(s.broadcast)
	return nil
}

// URL returns the address of the page, with the token if one is needed.
// It is empty before Start.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	addr := s.ln.Addr().(*net.TCPAddr)
	host := s.cfg.Addr[:strings.LastIndex(s.cfg.Addr, ":")]
	switch {
	case host == "" || host == "0.0.0.0" || host == "::" || host == "[::]":
		host = "localhost" // every interface: this one is one of them
	case addr.IP.To4() == nil && !strings.HasPrefix(host, "["):
		host = "[" + host + "]"
	}
	u := fmt.Sprintf("http://%s:%d/", host, addr.Port)
	if s.token != "" {
		u += "?token=" + url.QueryEscape(s.token)
	}
	return u
}

// Close stops serving and closes every websocket.
func (s *Server) Close() error {
	if s.ln == nil {
		return nil
	}
	close(s.quit)
	s.mu.Lock()
	for c := range s.clients {
		c.conn.Close(websocket.StatusGoingAway, "the run is over")
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	s.wg.Wait()
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.http.Close()
	}
	return err
}

// ProgramEnded tells the page that the program has ended: the board
// stays as it was, for looking at.
func (s *Server) ProgramEnded() { s.hub.programEnded() }

// Reset shows a reset of the board as an event. Call it on the loop.
func (s *Server) Reset(r sim.Reset) { s.hub.reset(r.At, r.String()) }

// Warn shows a warning of the loop (a task that blocked it, one that
// ignored cancellation) as an event and in its task's row. Call it on the
// loop.
func (s *Server) Warn(w coop.Warning) { s.hub.warn(w) }

// Handler returns the server's handler: the page, its websocket and the
// downloads, behind the checks of the token and of the Host.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, err := fs.Sub(assets, "assets")
	if err != nil {
		panic("web: embedded assets: " + err.Error())
	}
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /ws", s.serveWS)
	mux.HandleFunc("GET /trace.vcd", s.serveVCD)
	mux.HandleFunc("GET /timeline.svg", s.serveSVG)
	mux.HandleFunc("GET /scenario.yaml", s.serveScenario)
	return s.guard(mux)
}

// guard refuses, with 403, a request whose Host is not loopback on a
// loopback server (a page of another site that renamed itself to reach
// this one), and one without the token when the server has one.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.local {
			host, _, err := net.SplitHostPort(r.Host)
			if err != nil {
				host = r.Host
			}
			if !isLoopback(strings.Trim(host, "[]")) {
				http.Error(w, "403 forbidden: this page answers on localhost only", http.StatusForbidden)
				return
			}
		}
		if s.token != "" {
			q := r.URL.Query().Get("token")
			switch {
			case q != "" && s.tokenOK(q):
				http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: s.token, Path: "/",
					HttpOnly: true, SameSite: http.SameSiteStrictMode})
			case s.cookieOK(r):
			default:
				http.Error(w, "403 forbidden: open the address coop printed, with its token", http.StatusForbidden)
				return
			}
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) tokenOK(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

func (s *Server) cookieOK(r *http.Request) bool {
	c, err := r.Cookie(tokenCookie)
	return err == nil && s.tokenOK(c.Value)
}

// download sets the headers of a file to save.
func (s *Server) download(w http.ResponseWriter, name, ctype string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", s.run.Program+name))
}

func (s *Server) serveVCD(w http.ResponseWriter, r *http.Request) {
	evs, end := s.traced()
	s.download(w, ".vcd", "text/plain; charset=utf-8")
	if err := trace.WriteVCD(w, evs, trace.VCDOptions{End: end}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (s *Server) serveSVG(w http.ResponseWriter, r *http.Request) {
	evs, end := s.traced()
	s.download(w, ".svg", "image/svg+xml")
	if err := trace.WriteSVG(w, evs, trace.SVGOptions{To: end}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// traced returns the history in the form package trace writes, and the
// board time it ends at ([Server.shownUpTo]), in one reading.
func (s *Server) traced() ([]trace.Event, time.Duration) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	clock, c := s.shownUpTo()
	return s.hub.events(c.seq), clock.Now
}

func (s *Server) serveScenario(w http.ResponseWriter, r *http.Request) {
	s.hub.mu.Lock()
	clock, _ := s.shownUpTo()
	inputs := append([]input(nil), s.hub.inputs...)
	s.hub.mu.Unlock()
	s.download(w, ".scenario.yaml", "application/yaml")
	if err := writeScenario(w, s.run.Program, s.run.Seed, inputs, clock.Now); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// client is one websocket of a page.
type client struct {
	conn *websocket.Conn
	send chan []byte
	slow chan struct{} // closed when the page fell too far behind
}

// clientQueue is how many messages may wait for a slow page before it is
// dropped (it reconnects and starts again from a fresh hello).
const clientQueue = 64

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	// Accept refuses, with 403, an Origin other than the page's own host.
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	conn.SetReadLimit(1 << 16)
	c := &client{conn: conn, send: make(chan []byte, clientQueue), slow: make(chan struct{})}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() {
		defer cancel()
		for {
			_, msg, err := conn.Read(ctx)
			if err != nil {
				return
			}
			if reply := s.command(msg); reply != nil {
				select {
				case c.send <- reply:
				default:
				}
			}
		}
	}()
	s.join(c)
	defer s.leave(c)
	for {
		select {
		case <-c.slow:
			conn.Close(websocket.StatusPolicyViolation, "the page fell behind: reload")
			return
		case msg := <-c.send:
			wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
			err := conn.Write(wctx, websocket.MessageText, msg)
			wcancel()
			if err != nil {
				return
			}
		case <-ctx.Done():
			conn.Close(websocket.StatusNormalClosure, "")
			return
		case <-s.quit:
			return
		}
	}
}

func (s *Server) leave(c *client) {
	s.mu.Lock()
	delete(s.clients, c)
	s.mu.Unlock()
}

// errorMsg is a message that says what went wrong with a command.
func errorMsg(err error) []byte {
	b, _ := json.Marshal(map[string]string{"t": "error", "msg": err.Error()})
	return b
}
