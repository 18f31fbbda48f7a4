#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU; its UErrorCode clashes with Foundation's copy of ICU in Swift 6. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
/* xmlFree is a mutable global in libxml2, which Swift 6 rejects as not concurrency-safe. */
static inline void cxml_free(void *p) { xmlFree(p); }
