#ifndef PARLEY_CSQLITE_SHIM_H
#define PARLEY_CSQLITE_SHIM_H
#include <sqlite3.h>

/// Turns off SQLite's memory statistics: with them on, every allocation takes one global mutex
/// shared by all connections. Effective only before SQLite initializes (the first open).
static inline int parley_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
