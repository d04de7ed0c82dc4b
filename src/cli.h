/* cli.h: the command-line front end. */
#ifndef CXZY_CLI_H
#define CXZY_CLI_H

/* Runs cxzy with the given arguments (in the locale's encoding) and
 * returns the process exit status:
 *   0 success, 1 the command failed (message on stderr), 2 usage error,
 *   3 `check` found damage. */
int cli_main(int argc, char **argv);

#endif
