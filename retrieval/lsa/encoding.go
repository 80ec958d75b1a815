package lsa

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math"
)

// The serialized form, little-endian:
//
//	magic "VBLSAMOD", version uint32
//	dim, latentDim, nDocs uint32; seed uint64
//	termWeight, gramWeight, latentWeight float64; probes uint32
//	idfUnseen float64; vocabulary size V uint32
//	V feature hashes uint64 (strictly ascending)
//	V idf float32; V row scales float32
//	V×latentDim projection values int8 (value × row scale)
//	CRC-32 (IEEE) of everything before it, uint32
const (
	magic         = "VBLSAMOD"
	formatVersion = 1
	headerSize    = 8 + 4 + 3*4 + 8 + 3*8 + 4 + 8 + 4
)

// Limits that Load enforces, far above anything Fit produces, so that
// garbage cannot make it allocate absurd amounts.
const (
	maxDim   = 1 << 14
	maxVocab = 1 << 24
	maxIDF   = 100
)

// MarshalBinary returns the model in a versioned binary form for Load. A
// default model of a large corpus takes about 9 MB, mostly the 8-bit
// projection values.
func (m *Model) MarshalBinary() ([]byte, error) {
	v, k := len(m.hashes), m.latentDim
	b := make([]byte, 0, headerSize+v*(8+4+4+k)+4)
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint32(b, formatVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(m.dim))
	b = binary.LittleEndian.AppendUint32(b, uint32(m.latentDim))
	b = binary.LittleEndian.AppendUint32(b, uint32(m.nDocs))
	b = binary.LittleEndian.AppendUint64(b, m.seed)
	for _, f := range []float64{m.t.termWeight, m.t.gramWeight, m.t.latentWeight} {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(m.t.probes))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.idfUnseen))
	b = binary.LittleEndian.AppendUint32(b, uint32(v))
	for _, h := range m.hashes {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	for _, f := range m.idf {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	for _, f := range m.projScale {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	for r := range v {
		s := m.projScale[r]
		for _, x := range m.proj[r*k : (r+1)*k] {
			var q int8
			if s != 0 {
				q = quantise(float64(x), s)
			}
			b = append(b, byte(q))
		}
	}
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	return b, nil
}

// fingerprint is the first 16 hex digits of the SHA-256 of a serialized
// model.
func fingerprint(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// Load returns the model serialized in data by MarshalBinary. Data that is
// not a complete, intact model of a known version gives an error wrapping
// ErrCorrupt.
func Load(data []byte) (*Model, error) {
	m, err := load(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrCorrupt, err)
	}
	return m, nil
}

func load(data []byte) (*Model, error) {
	if len(data) < len(magic)+4 || string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("not a %s model", Name)
	}
	if v := binary.LittleEndian.Uint32(data[len(magic):]); v != formatVersion {
		return nil, fmt.Errorf("format version %d, want %d", v, formatVersion)
	}
	if len(data) < headerSize+4 {
		return nil, fmt.Errorf("truncated header: %d bytes", len(data))
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("checksum mismatch")
	}
	r := reader{b: body[len(magic)+4:]}
	m := &Model{
		dim:       int(r.u32()),
		latentDim: int(r.u32()),
		nDocs:     int(r.u32()),
		seed:      r.u64(),
	}
	m.t.termWeight = r.f64()
	m.t.gramWeight = r.f64()
	m.t.latentWeight = r.f64()
	m.t.probes = int(r.u32())
	m.idfUnseen = r.f64()
	v := int(r.u32())

	switch {
	case m.dim < minHashedDim || m.dim > maxDim:
		return nil, fmt.Errorf("dim %d out of range", m.dim)
	case m.latentDim < 0 || m.latentDim > m.dim-minHashedDim:
		return nil, fmt.Errorf("latent dim %d out of range", m.latentDim)
	case m.t.probes < 1 || m.t.probes > 16 || m.t.probes >= m.dim-m.latentDim:
		return nil, fmt.Errorf("probes %d out of range", m.t.probes)
	case !inRange(0, 1, m.t.termWeight, m.t.gramWeight, m.t.latentWeight):
		return nil, fmt.Errorf("weights out of range")
	case !inRange(0, maxIDF, m.idfUnseen):
		return nil, fmt.Errorf("idf %g out of range", m.idfUnseen)
	case v > maxVocab:
		return nil, fmt.Errorf("vocabulary size %d out of range", v)
	}
	if want := v * (8 + 4 + 4 + m.latentDim); len(r.b) != want {
		return nil, fmt.Errorf("body is %d bytes, want %d", len(r.b), want)
	}

	m.hashes = make([]uint64, v)
	m.vocab = make(map[uint64]int32, v)
	for i := range v {
		h := r.u64()
		if i > 0 && h <= m.hashes[i-1] {
			return nil, fmt.Errorf("feature hashes not ascending at %d", i)
		}
		m.hashes[i] = h
		m.vocab[h] = int32(i)
	}
	m.idf = make([]float32, v)
	for i := range v {
		m.idf[i] = r.f32()
		if !inRange(0, maxIDF, float64(m.idf[i])) {
			return nil, fmt.Errorf("idf %d out of range", i)
		}
	}
	m.projScale = make([]float32, v)
	for i := range v {
		m.projScale[i] = r.f32()
		// Entries of an orthonormal basis are at most 1 in magnitude; allow
		// for rounding.
		if !inRange(0, 2.0/127, float64(m.projScale[i])) {
			return nil, fmt.Errorf("row scale %d out of range", i)
		}
	}
	k := m.latentDim
	m.proj = make([]float32, v*k)
	for i := range v {
		s := m.projScale[i]
		for j := range k {
			m.proj[i*k+j] = float32(int8(r.b[j])) * s
		}
		r.b = r.b[k:]
	}
	m.fingerprint = fingerprint(data)
	return m, nil
}

// inRange reports whether all fs are in [lo, hi] (so not NaN).
func inRange(lo, hi float64, fs ...float64) bool {
	for _, f := range fs {
		if !(f >= lo && f <= hi) {
			return false
		}
	}
	return true
}

// reader decodes little-endian values from b. Callers check the length
// first.
type reader struct{ b []byte }

func (r *reader) u32() uint32 {
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) u64() uint64 {
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) f32() float32 { return math.Float32frombits(r.u32()) }
func (r *reader) f64() float64 { return math.Float64frombits(r.u64()) }
