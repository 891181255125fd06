/**
 * The simulator's TLS identity, for the broker and the radio's WAN port in demos and tests only. It is
 * public on purpose and protects nothing: a test CA (whose key was thrown away after signing) and one
 * server certificate for `smartlink.sim.flexpath.invalid`, localhost, 127.0.0.1 and ::1, valid until 2126.
 * Clients trust the CA only through an explicit test option; the real broker is verified against the
 * system's CAs.
 */
export const SIM_TLS_SERVERNAME = 'smartlink.sim.flexpath.invalid';

export const SIM_CA_CERT = `-----BEGIN CERTIFICATE-----
MIIByzCCAXGgAwIBAgIUGPI8hLqbadqWCO+SkVh4Wl1m6dwwCgYIKoZIzj0EAwIw
MjEwMC4GA1UEAwwnRmxleFBhdGggc2ltdWxhdG9yIHRlc3QgQ0EgKG5vdCBzZWNy
ZXQpMCAXDTI2MTEyNTE0NTQ1MVoYDzIxMjYxMTAxMTQ1NDUxWjAyMTAwLgYDVQQD
DCdGbGV4UGF0aCBzaW11bGF0b3IgdGVzdCBDQSAobm90IHNlY3JldCkwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARBC3s9Pyh9h0IOLOe920Y4W0qKM6HM5iFhcEJ5
rx/MOfQaAmdz7v+gHkfmEPcToVljY1pfR2hfpu91NHrI1QY4o2MwYTAdBgNVHQ4E
FgQUv2UiiTx/1eViwZ2RVVlPQPu8e/MwHwYDVR0jBBgwFoAUv2UiiTx/1eViwZ2R
VVlPQPu8e/MwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwCgYIKoZI
zj0EAwIDSAAwRQIhAJ8Kdtf+XY44HurxvMe/EfLUrhMVWS/gNLZSJvCDkXpqAiAm
YcerBXAUbb/IesbZ/z6LwuKLTmfNQWGXfDezw4jQ9g==
-----END CERTIFICATE-----
`;

export const SIM_SERVER_CERT = `-----BEGIN CERTIFICATE-----
MIICHzCCAcSgAwIBAgIUBHuTkIyS+oNk7Me5Gymz9n6OvEUwCgYIKoZIzj0EAwIw
MjEwMC4GA1UEAwwnRmxleFBhdGggc2ltdWxhdG9yIHRlc3QgQ0EgKG5vdCBzZWNy
ZXQpMCAXDTI2MTEyNTE0NTQ1MVoYDzIxMjYxMTAxMTQ1NDUxWjApMScwJQYDVQQD
DB5zbWFydGxpbmsuc2ltLmZsZXhwYXRoLmludmFsaWQwWTATBgcqhkjOPQIBBggq
hkjOPQMBBwNCAAS3kLDJX1NfvL73AsRwzW6xxYb+doo6sNX/qxcfGd9ZgUCEfDDi
ky3D/8TsfzefVAGn88NokIF8zCKc96KujFVFo4G+MIG7MAkGA1UdEwQCMAAwCwYD
VR0PBAQDAgWgMBMGA1UdJQQMMAoGCCsGAQUFBwMBMEwGA1UdEQRFMEOCHnNtYXJ0
bGluay5zaW0uZmxleHBhdGguaW52YWxpZIIJbG9jYWxob3N0hwR/AAABhxAAAAAA
AAAAAAAAAAAAAAABMB0GA1UdDgQWBBSUc+EtYhB4i3KqTP5DYCBjIU88ujAfBgNV
HSMEGDAWgBS/ZSKJPH/V5WLBnZFVWU9A+7x78zAKBggqhkjOPQQDAgNJADBGAiEA
1jijaDv85bhL6auEj1Cy+sj8GN+JY+QCw2lqu8Z2WKICIQD+qZFsemYX6Bu4zgHB
Up5WF5/YbEjsvX6P4u9ubqqUJQ==
-----END CERTIFICATE-----
`;

export const SIM_SERVER_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgaluWNUM+HsAZ7Pmz
7kRSHaDbFpCCDCBhC4/Bj7atCtehRANCAAS3kLDJX1NfvL73AsRwzW6xxYb+doo6
sNX/qxcfGd9ZgUCEfDDiky3D/8TsfzefVAGn88NokIF8zCKc96KujFVF
-----END PRIVATE KEY-----
`;
