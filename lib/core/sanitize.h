/* Image-supplied strings (file names, labels, history) are printed to
 * terminals: control characters are replaced so they cannot inject escapes
 * (after git's sanitize of remote messages). */
#ifndef BRIG_CORE_SANITIZE_H
#define BRIG_CORE_SANITIZE_H

/* Replaces C0 controls (except none) and DEL with '?', in place. */
void brig_sanitize_inplace(char *s);

#endif
