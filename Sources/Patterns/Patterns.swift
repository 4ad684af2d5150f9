// Placeholder so the module builds; replaced as the module is written.
import CPCRE2
enum PatternsModulePlaceholder {}
