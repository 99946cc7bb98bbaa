#ifndef PARLEY_CEDITLINE_SHIM_H
#define PARLEY_CEDITLINE_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#endif
