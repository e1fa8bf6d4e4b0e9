//! Public types are `Send + Sync` (and `Unpin`), so a clusterer can move
//! between threads and be read from several.

fn assert_send_sync<T: Send + Sync + Unpin>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<story_cluster::Clusterer>();
    assert_send_sync::<story_cluster::ClustererBuilder>();
    assert_send_sync::<story_cluster::Config>();
    assert_send_sync::<story_cluster::Article>();
    assert_send_sync::<story_cluster::Assignment>();
    assert_send_sync::<story_cluster::Explanation>();
    assert_send_sync::<story_cluster::StoryView<'static>>();
    assert_send_sync::<story_cluster::Error>();
    assert_send_sync::<story_cluster::Language>();
}
