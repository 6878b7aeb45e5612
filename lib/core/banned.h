/* Functions that invite overflows or hidden state are compile errors
 * (after git's banned.h). Included into every translation unit. */
#ifndef BRIG_CORE_BANNED_H
#define BRIG_CORE_BANNED_H

#define BRIG_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BRIG_BANNED(strcpy)
#undef strcat
#define strcat(x, y) BRIG_BANNED(strcat)
#undef sprintf
#define sprintf(...) BRIG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BRIG_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BRIG_BANNED(strtok)
#undef gets
#define gets(x) BRIG_BANNED(gets)

#endif
