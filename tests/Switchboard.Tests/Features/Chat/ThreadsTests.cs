using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Chat;

public sealed class ThreadsTestsOnSqlite(SqliteApp app) : ThreadsTests(app), IClassFixture<SqliteApp>;

public sealed class ThreadsTestsOnPostgres(PostgresApp app) : ThreadsTests(app), IClassFixture<PostgresApp>;

public abstract class ThreadsTests(SwitchboardApp app)
{
    private static int[] Ids(JsonObject page) => page["results"]!.AsArray().Select(m => (int)m!["id"]!).ToArray();

    private static async Task<int> ReplyAsync(TestUser user, int room, int root, string content, bool alsoToRoom = false) =>
        (int)(await (await user.PostJsonAsync("/api/chat/messages/",
            new { room, content, thread_root_id = root, also_send_to_room = alsoToRoom })).JsonAsync(201))["id"]!;

    private static async Task<JsonObject> GetAsync(TestUser user, string url) => await (await user.Client.GetAsync(url)).JsonAsync(200);

    private static async Task<JsonObject> RoomAsync(TestUser user, int room) => await GetAsync(user, $"/api/chat/rooms/{room}/");

    [Fact]
    public async Task Reply_ToAReplyOrAnotherRoomsMessage_Returns400NamingThreadRootId()
    {
        var c = await app.CastAsync();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        var reply = await ReplyAsync(c.Participant, c.RoomId, root, "reply");
        var other = await ChatKit.CreateRoomAsync(c.Creator, c.ProjectId, "Other", c.Participant.Id);
        var elsewhere = await c.Creator.SendIdAsync(other, "elsewhere");

        await (await c.Participant.PostJsonAsync("/api/chat/messages/", new { room = c.RoomId, content = "x", thread_root_id = reply }))
            .AssertFieldErrorAsync("thread_root_id");
        await (await c.Participant.PostJsonAsync("/api/chat/messages/", new { room = c.RoomId, content = "x", thread_root_id = elsewhere }))
            .AssertFieldErrorAsync("thread_root_id");
        await (await c.Participant.PostJsonAsync("/api/chat/messages/", new { room = c.RoomId, content = "x", thread_root_id = 999_999_999 }))
            .AssertFieldErrorAsync("thread_root_id");
        await (await c.Participant.PostJsonAsync("/api/chat/messages/", new { room = c.RoomId, content = "x", thread_root_id = "abc" }))
            .AssertFieldErrorAsync("thread_root_id");
    }

    [Fact]
    public async Task RoomTimeline_HoldsRootsAndRepliesAlsoSentToTheRoom_ThreadViewHoldsRootThenReplies()
    {
        var c = await app.CastAsync();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        var r1 = await ReplyAsync(c.Participant, c.RoomId, root, "one");
        var r2 = await ReplyAsync(c.Admin, c.RoomId, root, "two", alsoToRoom: true);
        var plain = await c.Participant.SendIdAsync(c.RoomId, "plain");
        var r3 = await ReplyAsync(c.Creator, c.RoomId, root, "three");

        var timeline = await GetAsync(c.Participant, $"/api/chat/messages/?room={c.RoomId}");
        Assert.Equal([root, r2, plain], Ids(timeline));
        Assert.Equal(3, (int)timeline["count"]!);
        var thread = await GetAsync(c.Participant, $"/api/chat/messages/?thread={root}");
        Assert.Equal([root, r1, r2, r3], Ids(thread));
        Assert.Equal(root, (int)thread["results"]![1]!["thread_root_id"]!);
        Assert.True((bool)thread["results"]![2]!["also_send_to_room"]!);

        // The cursors walk the thread as they walk a room.
        var newest = await GetAsync(c.Participant, $"/api/chat/messages/?thread={root}&page_size=2");
        Assert.Equal([r2, r3], Ids(newest));
        var older = await GetAsync(c.Participant, (string)newest["previous"]!);
        Assert.Equal([root, r1], Ids(older));
        var after = await GetAsync(c.Participant, $"/api/chat/messages/?thread={root}&after={r1}");
        Assert.Equal([r2, r3], Ids(after));

        await (await c.Member.Client.GetAsync($"/api/chat/messages/?thread={root}")).ProblemAsync(404);
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?thread={r1}")).ProblemAsync(404);
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?thread=x")).AssertFieldErrorAsync("thread");
    }

    [Fact]
    public async Task Root_CarriesItsSummary_LatestReplierFirst_AndDeletingAReplyUpdatesIt()
    {
        var c = await app.CastAsync();
        using var recorder = app.RecordEvents();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        await ReplyAsync(c.Participant, c.RoomId, root, "one");
        var second = await ReplyAsync(c.Admin, c.RoomId, root, "two");
        await ReplyAsync(c.Participant, c.RoomId, root, "three");

        var summary = await GetAsync(c.Viewer, $"/api/chat/messages/{root}/");
        Assert.Equal(3, (int)summary["reply_count"]!);
        Assert.Equal([c.Participant.Id, c.Admin.Id], summary["thread_participants"]!.AsArray().Select(u => (int)u!["id"]!).ToArray());
        Assert.NotNull(summary["last_reply_at"]);
        Assert.False((bool)summary["is_following"]!);
        Assert.True((bool)(await GetAsync(c.Creator, $"/api/chat/messages/{root}/"))["is_following"]!);

        var updates = recorder.FramesFor(c.RoomId).Where(f => (string)f["type"]! == "thread_updated").ToList();
        Assert.Equal(3, updates.Count);
        Assert.Equal(["type", "room_id", "root_id", "reply_count", "last_reply_at", "thread_participants"], updates[2].Select(p => p.Key).ToArray());
        Assert.Equal(3, (int)updates[2]["reply_count"]!);
        Assert.Equal(c.Participant.Id, (int)updates[2]["thread_participants"]![0]!["id"]!);

        await (await c.Admin.Client.DeleteAsync($"/api/chat/messages/{second}/")).EnsureStatusAsync(204);
        summary = await GetAsync(c.Viewer, $"/api/chat/messages/{root}/");
        Assert.Equal(2, (int)summary["reply_count"]!);
        Assert.Equal([c.Participant.Id], summary["thread_participants"]!.AsArray().Select(u => (int)u!["id"]!).ToArray());
        Assert.Equal(2, (int)recorder.FramesFor(c.RoomId).Last(f => (string)f["type"]! == "thread_updated")["reply_count"]!);
    }

    [Fact]
    public async Task DeletingARoot_KeepsItsRepliesReadable_AndTheRootShowsAsDeleted()
    {
        var c = await app.CastAsync();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root with @" + c.Participant.Username);
        var reply = await ReplyAsync(c.Participant, c.RoomId, root, "reply");
        var lonely = await c.Creator.SendIdAsync(c.RoomId, "no replies");

        await (await c.Creator.Client.DeleteAsync($"/api/chat/messages/{root}/")).EnsureStatusAsync(204);
        await (await c.Creator.Client.DeleteAsync($"/api/chat/messages/{lonely}/")).EnsureStatusAsync(204);
        await (await c.Creator.Client.DeleteAsync($"/api/chat/messages/{root}/")).ProblemAsync(404);

        var thread = await GetAsync(c.Participant, $"/api/chat/messages/?thread={root}");
        Assert.Equal([root, reply], Ids(thread));
        var shown = thread["results"]![0]!;
        Assert.True((bool)shown["is_deleted"]!);
        Assert.Equal("", (string)shown["content"]!);
        Assert.Empty(shown["mentions"]!["user_ids"]!.AsArray());
        Assert.Equal(1, (int)shown["reply_count"]!);
        Assert.Equal([root], Ids(await GetAsync(c.Participant, $"/api/chat/messages/?room={c.RoomId}")));
        await (await c.Participant.PostJsonAsync("/api/chat/messages/", new { room = c.RoomId, content = "x", thread_root_id = root }))
            .AssertFieldErrorAsync("thread_root_id");
    }

    [Fact]
    public async Task Following_RootAuthorRepliersAndMentioned_Follow_AndUnfollowSticks()
    {
        var c = await app.CastAsync();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        await ReplyAsync(c.Participant, c.RoomId, root, $"asking @{c.Admin.Username.ToUpperInvariant()}");

        async Task<bool> Following(TestUser user) => (bool)(await GetAsync(user, $"/api/chat/messages/{root}/"))["is_following"]!;
        Assert.True(await Following(c.Creator));
        Assert.True(await Following(c.Participant));
        Assert.True(await Following(c.Admin));
        Assert.False(await Following(c.Viewer));

        var follow = await (await c.Viewer.PostJsonAsync($"/api/chat/threads/{root}/follow/", new { following = true })).JsonAsync(200);
        Assert.True((bool)follow["is_following"]!);
        Assert.True(await Following(c.Viewer));
        await (await c.Creator.PostJsonAsync($"/api/chat/threads/{root}/follow/", new { following = false })).EnsureStatusAsync(200);
        await ReplyAsync(c.Participant, c.RoomId, root, "more");
        Assert.False(await Following(c.Creator));

        await (await c.Member.PostJsonAsync($"/api/chat/threads/{root}/follow/", new { following = true })).ProblemAsync(404);
        await (await c.Viewer.PostJsonAsync($"/api/chat/threads/{root}/follow/", new { following = "yes" })).AssertFieldErrorAsync("following");
        await (await c.Viewer.PostJsonAsync($"/api/chat/threads/{root}/follow/", new { })).AssertFieldErrorAsync("following");
    }

    [Fact]
    public async Task UnreadThreads_CountPerRoomAndAcrossRooms_AndMarkReadClearsThem()
    {
        var c = await app.CastAsync();
        var other = await ChatKit.CreateRoomAsync(c.Creator, c.ProjectId, "Other", c.Participant.Id);
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        var quiet = await c.Creator.SendIdAsync(c.RoomId, "quiet");
        var elsewhere = await c.Creator.SendIdAsync(other, "elsewhere");
        await ReplyAsync(c.Participant, c.RoomId, root, "reply");
        await ReplyAsync(c.Participant, other, elsewhere, "reply elsewhere");
        await ReplyAsync(c.Creator, c.RoomId, quiet, "my own reply");

        Assert.Equal(1, (int)(await RoomAsync(c.Creator, c.RoomId))["unread_thread_count"]!);
        Assert.Equal(1, (int)(await RoomAsync(c.Creator, other))["unread_thread_count"]!);
        Assert.Equal(0, (int)(await RoomAsync(c.Participant, c.RoomId))["unread_thread_count"]!);

        var unread = await GetAsync(c.Creator, "/api/chat/threads/?filter=unread");
        Assert.Equal([elsewhere, root], Ids(unread));
        Assert.Equal([root], Ids(await GetAsync(c.Creator, $"/api/chat/threads/?room={c.RoomId}&filter=unread")));
        Assert.Equal([quiet, root], Ids(await GetAsync(c.Creator, $"/api/chat/threads/?room={c.RoomId}")));
        Assert.Equal([quiet, elsewhere, root], Ids(await GetAsync(c.Creator, "/api/chat/threads/?filter=following")));
        Assert.Empty(Ids(await GetAsync(c.Viewer, "/api/chat/threads/?filter=following")));
        Assert.Equal([quiet, root], Ids(await GetAsync(c.Viewer, "/api/chat/threads/")));

        await (await c.Creator.Client.PostAsync($"/api/chat/threads/{root}/mark_read/", null)).EnsureStatusAsync(200);
        Assert.Equal(0, (int)(await RoomAsync(c.Creator, c.RoomId))["unread_thread_count"]!);
        Assert.Equal([elsewhere], Ids(await GetAsync(c.Creator, "/api/chat/threads/?filter=unread")));

        await (await c.Creator.Client.GetAsync("/api/chat/threads/?filter=bogus")).AssertFieldErrorAsync("filter");
        await (await c.Member.Client.GetAsync($"/api/chat/threads/?room={c.RoomId}")).ProblemAsync(404);
        await (await c.Member.Client.PostAsync($"/api/chat/threads/{root}/mark_read/", null)).ProblemAsync(404);
    }

    [Fact]
    public async Task DeletingMessages_TakesThemOutOfTheUnreadMentionAndUnreadThreadCounts()
    {
        var c = await app.CastAsync();
        var root = await c.Participant.SendIdAsync(c.RoomId, "the participant's root");
        var mention = await c.Creator.SendIdAsync(c.RoomId, $"@{c.Participant.Username} look");
        var reply = await ReplyAsync(c.Creator, c.RoomId, root, "the only reply");
        var room = await RoomAsync(c.Participant, c.RoomId);
        Assert.Equal((1, 1, 1), ((int)room["unread_count"]!, (int)room["mention_count"]!, (int)room["unread_thread_count"]!));

        await (await c.Creator.Client.DeleteAsync($"/api/chat/messages/{mention}/")).EnsureStatusAsync(204);
        await (await c.Creator.Client.DeleteAsync($"/api/chat/messages/{reply}/")).EnsureStatusAsync(204);
        room = await RoomAsync(c.Participant, c.RoomId);
        Assert.Equal((0, 0, 0), ((int)room["unread_count"]!, (int)room["mention_count"]!, (int)room["unread_thread_count"]!));
        var threads = await GetAsync(c.Participant, $"/api/chat/threads/?room={c.RoomId}&filter=unread");
        Assert.Empty(threads["results"]!.AsArray());
        var summary = await GetAsync(c.Participant, $"/api/chat/messages/{root}/");
        Assert.Equal(0, (int)summary["reply_count"]!);
    }

    [Fact]
    public async Task ThreadReplies_DoNotCountAsRoomUnread_UnlessAlsoSentToTheRoom()
    {
        var c = await app.CastAsync();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        await (await c.Viewer.Client.PostAsync($"/api/chat/rooms/{c.RoomId}/mark_read/", null)).EnsureStatusAsync(200);
        await ReplyAsync(c.Participant, c.RoomId, root, "in the thread only");
        Assert.Equal(0, (int)(await RoomAsync(c.Viewer, c.RoomId))["unread_count"]!);
        await ReplyAsync(c.Participant, c.RoomId, root, "also in the room", alsoToRoom: true);
        Assert.Equal(1, (int)(await RoomAsync(c.Viewer, c.RoomId))["unread_count"]!);
    }
}
