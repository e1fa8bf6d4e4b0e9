//! STUB (replaced by the alias branch).
#[derive(Debug)]
pub(crate) struct AliasTable;
pub(crate) fn table() -> &'static AliasTable { &AliasTable }
impl AliasTable {
    pub(crate) fn find_all(&self, _words: &[&str], _upper: &[bool]) -> Vec<(usize, usize, &'static str)> { Vec::new() }
}
