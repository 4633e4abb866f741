// sanshe_person_key(VARCHAR) -> UHUGEINT as a native DuckDB scalar function:
// the HMAC-SHA-256 of the text with the installation's secret, its first 128
// bits as an unsigned 128-bit integer. It equals DuckDB's
// sha256(opad || unhex(sha256(ipad || s))) truncated (server/import/personKey.ts
// keeps that SQL as the fallback), about fifteen times faster: the two pad
// blocks are hashed once at registration instead of once per row, OpenSSL
// (the one Node.js links) uses the CPU's SHA instructions, and DuckDB calls
// the function on its own worker threads, a vector of rows at a time, with
// no JavaScript in between.
//
// register(connection, libduckdb, ipad, opad, name) registers it on one
// connection of @duckdb/node-api. `connection` is the binding's connection
// external: its type tag is checked before the handle inside is used.
// `libduckdb` is the path of the DuckDB library the binding already loaded;
// the C API functions are looked up in that very library (never a second
// copy). Any mismatch throws, and the caller falls back to the SQL.
// Registering a name again replaces the function (DuckDB's behaviour): the
// caller registers once per connection.

#define OPENSSL_SUPPRESS_DEPRECATED
#include <dlfcn.h>
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The few DuckDB C API declarations used (duckdb.h, stable C API).
typedef uint64_t idx_t;
typedef void *duckdb_connection;
typedef void *duckdb_scalar_function;
typedef void *duckdb_function_info;
typedef void *duckdb_data_chunk;
typedef void *duckdb_vector;
typedef void *duckdb_logical_type;
typedef void (*duckdb_scalar_function_t)(duckdb_function_info, duckdb_data_chunk, duckdb_vector);
typedef void (*duckdb_delete_callback_t)(void *);
enum { DUCKDB_TYPE_VARCHAR = 17, DUCKDB_TYPE_UHUGEINT = 32 };

static struct {
  duckdb_scalar_function (*create_scalar_function)(void);
  void (*destroy_scalar_function)(duckdb_scalar_function *);
  void (*scalar_function_set_name)(duckdb_scalar_function, const char *);
  void (*scalar_function_add_parameter)(duckdb_scalar_function, duckdb_logical_type);
  void (*scalar_function_set_return_type)(duckdb_scalar_function, duckdb_logical_type);
  void (*scalar_function_set_extra_info)(duckdb_scalar_function, void *, duckdb_delete_callback_t);
  void (*scalar_function_set_function)(duckdb_scalar_function, duckdb_scalar_function_t);
  int (*register_scalar_function)(duckdb_connection, duckdb_scalar_function);
  void *(*scalar_function_get_extra_info)(duckdb_function_info);
  duckdb_logical_type (*create_logical_type)(int);
  void (*destroy_logical_type)(duckdb_logical_type *);
  idx_t (*data_chunk_get_size)(duckdb_data_chunk);
  duckdb_vector (*data_chunk_get_vector)(duckdb_data_chunk, idx_t);
  void *(*vector_get_data)(duckdb_vector);
  uint64_t *(*vector_get_validity)(duckdb_vector);
  void (*vector_ensure_validity_writable)(duckdb_vector);
} api;

// The key's state after its pad block: hashed once, copied per row.
typedef struct {
  SHA256_CTX inner;
  SHA256_CTX outer;
} pads_t;

static void person_key(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  const pads_t *pads = api.scalar_function_get_extra_info(info);
  idx_t n = api.data_chunk_get_size(input);
  duckdb_vector in = api.data_chunk_get_vector(input, 0);
  // string_t, 16 bytes: a 4-byte length, then 12 inline bytes or a 4-byte
  // prefix and a pointer. uhugeint, 16 bytes: lower then upper 64 bits.
  const uint8_t *strings = api.vector_get_data(in);
  const uint64_t *valid = api.vector_get_validity(in);
  uint8_t *out = api.vector_get_data(output);
  uint64_t *out_valid = NULL;
  for (idx_t i = 0; i < n; i++) {
    if (valid && !((valid[i >> 6] >> (i & 63)) & 1)) {
      if (!out_valid) {
        api.vector_ensure_validity_writable(output);
        out_valid = api.vector_get_validity(output);
      }
      out_valid[i >> 6] &= ~(1ULL << (i & 63));
      continue;
    }
    const uint8_t *s = strings + 16 * i;
    uint32_t len;
    memcpy(&len, s, 4);
    const uint8_t *text;
    if (len <= 12) text = s + 4;
    else memcpy(&text, s + 8, sizeof text);
    uint8_t h[32];
    SHA256_CTX c = pads->inner;
    SHA256_Update(&c, text, len);
    SHA256_Final(h, &c);
    c = pads->outer;
    SHA256_Update(&c, h, 32);
    SHA256_Final(h, &c);
    // The first 16 bytes read big-endian, stored as a little-endian integer.
    uint8_t *d = out + 16 * i;
    for (int b = 0; b < 16; b++) d[b] = h[15 - b];
  }
}

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static int pad_of(napi_env env, napi_value v, const uint8_t **data) {
  napi_typedarray_type type;
  size_t len;
  void *p;
  if (napi_get_typedarray_info(env, v, &type, &len, &p, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array || len != 64) return 0;
  *data = p;
  return 1;
}

#define LOOKUP(lib, name)                                           \
  if (!(*(void **)&api.name = dlsym(lib, "duckdb_" #name))) {       \
    return fail(env, "person_key: libduckdb lacks duckdb_" #name); \
  }

static napi_value register_fn(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5) return fail(env, "person_key: register takes 5 arguments");
  // @duckdb/node-bindings' ConnectionTypeTag (bindings/src/externals.h);
  // the external holds a struct whose first member is the duckdb_connection.
  static const napi_type_tag connection_tag = {0x922B9BF54AB04DFC, 0x8A258578D371DB71};
  napi_valuetype vt;
  bool tagged = false;
  if (napi_typeof(env, argv[0], &vt) != napi_ok || vt != napi_external) return fail(env, "person_key: not a DuckDB connection");
  if (napi_check_object_type_tag(env, argv[0], &connection_tag, &tagged) != napi_ok || !tagged) return fail(env, "person_key: not a DuckDB connection");
  void *holder;
  if (napi_get_value_external(env, argv[0], &holder) != napi_ok || !holder) return fail(env, "person_key: not a DuckDB connection");
  duckdb_connection connection = *(duckdb_connection *)holder;
  if (!connection) return fail(env, "person_key: the connection is closed");

  char path[4096];
  size_t path_len;
  if (napi_get_value_string_utf8(env, argv[1], path, sizeof path, &path_len) != napi_ok || path_len >= sizeof path - 1) return fail(env, "person_key: bad libduckdb path");
  void *lib = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
  if (!lib) return fail(env, "person_key: libduckdb is not loaded");
  LOOKUP(lib, create_scalar_function)
  LOOKUP(lib, destroy_scalar_function)
  LOOKUP(lib, scalar_function_set_name)
  LOOKUP(lib, scalar_function_add_parameter)
  LOOKUP(lib, scalar_function_set_return_type)
  LOOKUP(lib, scalar_function_set_extra_info)
  LOOKUP(lib, scalar_function_set_function)
  LOOKUP(lib, register_scalar_function)
  LOOKUP(lib, scalar_function_get_extra_info)
  LOOKUP(lib, create_logical_type)
  LOOKUP(lib, destroy_logical_type)
  LOOKUP(lib, data_chunk_get_size)
  LOOKUP(lib, data_chunk_get_vector)
  LOOKUP(lib, vector_get_data)
  LOOKUP(lib, vector_get_validity)
  LOOKUP(lib, vector_ensure_validity_writable)
  dlclose(lib); // drops the reference RTLD_NOLOAD took; the binding keeps it loaded

  const uint8_t *ipad, *opad;
  if (!pad_of(env, argv[2], &ipad) || !pad_of(env, argv[3], &opad)) return fail(env, "person_key: ipad and opad must be 64-byte Uint8Arrays");
  char name[128];
  size_t name_len;
  if (napi_get_value_string_utf8(env, argv[4], name, sizeof name, &name_len) != napi_ok || name_len == 0 || name_len >= sizeof name - 1) return fail(env, "person_key: bad function name");

  pads_t *pads = malloc(sizeof *pads);
  if (!pads) return fail(env, "person_key: out of memory");
  SHA256_Init(&pads->inner);
  SHA256_Update(&pads->inner, ipad, 64);
  SHA256_Init(&pads->outer);
  SHA256_Update(&pads->outer, opad, 64);

  duckdb_scalar_function fn = api.create_scalar_function();
  api.scalar_function_set_name(fn, name);
  duckdb_logical_type varchar = api.create_logical_type(DUCKDB_TYPE_VARCHAR);
  duckdb_logical_type uhugeint = api.create_logical_type(DUCKDB_TYPE_UHUGEINT);
  api.scalar_function_add_parameter(fn, varchar);
  api.scalar_function_set_return_type(fn, uhugeint);
  api.destroy_logical_type(&varchar);
  api.destroy_logical_type(&uhugeint);
  // DuckDB owns the pads from here and frees them with the function.
  api.scalar_function_set_extra_info(fn, pads, free);
  api.scalar_function_set_function(fn, person_key);
  int state = api.register_scalar_function(connection, fn);
  api.destroy_scalar_function(&fn);
  if (state != 0) return fail(env, "person_key: DuckDB refused the function");
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "register", NAPI_AUTO_LENGTH, register_fn, NULL, &fn);
  napi_set_named_property(env, exports, "register", fn);
  return exports;
}
