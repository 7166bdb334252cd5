use gridledger::Store;
#[test]
fn opens() {
    Store::open_in_memory().unwrap();
}
