// Snowball stemmers from Debian's libstemmer-dev (Russian and English are the ones Gazette uses).
#include <libstemmer.h>
