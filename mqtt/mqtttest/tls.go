package mqtttest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a throwaway certificate authority of a test's own, whose
// certificate and keys live in the test's temporary directory: it issues
// a broker's certificate for a TLS listener ([StartMosquittoTLS]), and its
// CertFile is what a client is told to trust.
type CA struct {
	// CertFile is the CA's certificate, PEM.
	CertFile string
	dir      string
	cert     *x509.Certificate
	key      *ecdsa.PrivateKey
	serial   int64
}

// NewCA makes a certificate authority called name, valid for a day.
func NewCA(tb testing.TB, name string) *CA {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	ca := &CA{CertFile: filepath.Join(dir, "ca.pem"), dir: dir, cert: cert, key: key, serial: 1}
	writePEM(tb, ca.CertFile, "CERTIFICATE", der)
	return ca
}

// Issue makes a server certificate signed by ca for hosts (names or IP
// addresses, such as "127.0.0.1" and "localhost"), and returns the files
// of the certificate and of its key, PEM.
func (ca *CA) Issue(tb testing.TB, hosts ...string) (certFile, keyFile string) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	ca.serial++
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(ca.serial),
		Subject:      pkix.Name{CommonName: hosts[0]},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		tb.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	name := filepath.Join(ca.dir, "server"+big.NewInt(ca.serial).String())
	certFile, keyFile = name+".pem", name+".key"
	writePEM(tb, certFile, "CERTIFICATE", der)
	writePEM(tb, keyFile, "PRIVATE KEY", kder)
	return certFile, keyFile
}

func writePEM(tb testing.TB, name, typ string, der []byte) {
	tb.Helper()
	if err := os.WriteFile(name, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// TLSMosquitto is a Mosquitto with a TLS listener, for tests of
// certificate checking: CA issued the certificate it presents, OtherCA
// did not.
type TLSMosquitto struct {
	*Mosquitto
	// CA issued the broker's certificate, for "127.0.0.1" and
	// "localhost": a client that trusts CA.CertFile connects.
	CA *CA
	// OtherCA issued nothing the broker presents: a client that trusts
	// only OtherCA.CertFile fails the handshake with an unknown
	// authority.
	OtherCA *CA
}

// StartMosquittoWithCA makes a CA, has it issue a certificate for
// "127.0.0.1" and "localhost", starts a Mosquitto that presents it on its
// TLS listener ([StartMosquittoTLS]), and makes another CA that issued
// nothing: what a test that trusts the right CA, then the wrong one,
// needs. It skips tb as StartMosquitto does.
func StartMosquittoWithCA(tb testing.TB) *TLSMosquitto {
	tb.Helper()
	ca := NewCA(tb, "coop test CA")
	certFile, keyFile := ca.Issue(tb, "127.0.0.1", "localhost")
	m := StartMosquittoTLS(tb, certFile, keyFile)
	return &TLSMosquitto{Mosquitto: m, CA: ca, OtherCA: NewCA(tb, "another CA")}
}
