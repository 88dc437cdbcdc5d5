using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Realtime.SocketTestKit;
using static Switchboard.Tests.Realtime.UserSocketExtensions;

namespace Switchboard.Tests.Realtime;

public abstract class UserSocketTests(UserSocketApp app)
{
    /// <summary>Alice and Bob share rooms R1 and R2; R3 is Bob's and Carol's only.</summary>
    private async Task<(ChatScene Scene, int R2, int R3)> ThreeRoomsAsync()
    {
        var scene = await SceneAsync(app);
        var r2 = await ChatKit.CreateRoomAsync(scene.Alice, scene.ProjectId, "Second", scene.Bob.Id);
        var r3 = await ChatKit.CreateRoomAsync(scene.Bob, scene.ProjectId, "Not Alice's", scene.Carol.Id);
        return (scene, r2, r3);
    }

    [Fact]
    public async Task Hello_IsTheFirstFrame_WithSeqOne_AndTheTokensSession()
    {
        var alice = await app.CreateUserAsync("alice");
        var (socket, hello) = await OpenAsync(app, alice.Access);
        using var _ = socket;
        Assert.Equal(1, (int)hello["seq"]!);
        Assert.Equal(alice.Id, (int)hello["user_id"]!);
        var sessions = await alice.Client.GetFromJsonAsync<JsonObject>("/api/auth/sessions/");
        Assert.Equal((long)sessions!["results"]!.AsArray().Single(s => (bool)s!["current"]!)!["id"]!, (long)hello["session_id"]!);
        Assert.Equal(30, (int)hello["heartbeat_seconds"]!);
        Assert.True(Math.Abs((DateTime.Parse((string)hello["server_time"]!, null, System.Globalization.DateTimeStyles.RoundtripKind)
            - DateTime.UtcNow).TotalSeconds) < 30);
    }

    [Fact]
    public async Task UserSocket_GetsEveryRoomOfTheUser_WithRoomId_AndNothingOfOtherRooms()
    {
        var (scene, r2, r3) = await ThreeRoomsAsync();
        var (alice, _) = await OpenAsync(app, scene.Alice.Access);
        using var __ = alice;

        await scene.Bob.SendRestAsync(r3, "secret of room three");
        await scene.Bob.SendRestAsync(scene.RoomId, "in room one");
        await scene.Bob.SendRestAsync(r2, "in room two");

        var seen = new List<JsonObject>();
        var first = await alice.ReceiveMessageInAsync(scene.RoomId, "in room one", seen);
        Assert.Equal(scene.RoomId, (int)first["message"]!["room"]!);
        await alice.ReceiveMessageInAsync(r2, "in room two", seen);
        Assert.DoesNotContain(seen, f => (int?)f["room_id"] == r3);
        Assert.DoesNotContain(seen, f => ((string?)f["message"]?["content"])?.Contains("secret", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ClientFrames_NameTheirRoom_AndARoomYouAreNotInIsNotFound()
    {
        var (scene, r2, r3) = await ThreeRoomsAsync();
        var (alice, _) = await OpenAsync(app, scene.Alice.Access);
        using var __ = alice;
        using var bobInR2 = await ConnectAsync(app, r2, scene.Bob.Access);
        // A pong means the server has the room socket registered.
        await bobInR2.SendAsync(new { type = "ping" });
        await bobInR2.ReceiveTypeAsync("pong");

        await alice.SendAsync(new { type = "message_send", room_id = r2, content = "sent on the user socket", client_id = "u-1" });
        var mine = await alice.ReceiveMessageInAsync(r2, "sent on the user socket");
        Assert.Equal("u-1", (string)mine["client_id"]!);
        // The room socket carries the Part 1 frame exactly: no seq, no room_id added.
        var theirs = await bobInR2.ReceiveMessageAsync("sent on the user socket");
        Assert.Null(theirs["seq"]);
        Assert.Null(theirs["room_id"]);

        await alice.SendAsync(new { type = "typing", room_id = r2, is_typing = true });
        Assert.Equal(scene.Alice.Id, (int)(await bobInR2.ReceiveTypeAsync("user_typing"))["user_id"]!);

        await alice.SendAsync(new { type = "message_send", room_id = r3, content = "let me in", client_id = "u-2" });
        var refused = await alice.ReceiveTypeAsync("error");
        Assert.Equal("not_found", (string)refused["code"]!);
        Assert.Equal("u-2", (string)refused["client_id"]!);
        await alice.SendAsync(new { type = "typing", room_id = r3, is_typing = true });
        Assert.Equal("not_found", (string)(await alice.ReceiveTypeAsync("error"))["code"]!);
        var bobsMessage = (int)(await scene.Bob.SendRestAsync(r3, "bob's"))["id"]!;
        await alice.SendAsync(new { type = "reaction_add", room_id = r3, message_id = bobsMessage, emoji = "👍" });
        Assert.Equal("not_found", (string)(await alice.ReceiveTypeAsync("error"))["code"]!);
        await alice.SendAsync(new { type = "message_send", content = "which room?" });
        Assert.Equal("invalid_frame", (string)(await alice.ReceiveTypeAsync("error"))["code"]!);
        await alice.SendAsync(new { type = "subscribe", topics = "project:1" });
        Assert.Equal("invalid_frame", (string)(await alice.ReceiveTypeAsync("error"))["code"]!);

        var history = await (await scene.Bob.Client.GetAsync($"/api/chat/messages/?room={r3}")).JsonAsync(200);
        Assert.Equal(1, (int)history["count"]!);
    }

    [Fact]
    public async Task Seq_CountsEveryServerFrame_WithoutGaps()
    {
        var (scene, r2, _) = await ThreeRoomsAsync();
        var (alice, hello) = await OpenAsync(app, scene.Alice.Access);
        using var __ = alice;
        var frames = new List<JsonObject> { hello };
        for (var i = 0; i < 5; i++)
        {
            await alice.SendAsync(new { type = "ping" });
            await alice.SendAsync(new { type = "nonsense" });
            await scene.Bob.SendRestAsync(i % 2 == 0 ? scene.RoomId : r2, $"numbered {i}");
            await alice.SendAsync(new { type = "typing", room_id = r2, is_typing = i % 2 == 0 });
        }
        await alice.SendAsync(new { type = "message_send", room_id = r2, content = "last", client_id = "last" });
        await alice.ReceiveMessageInAsync(r2, "last", frames);
        var seqs = frames.Select(f => (long)f["seq"]!).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Contains(frames, f => (string?)f["type"] == "pong");
        Assert.Contains(frames, f => (string?)f["type"] == "error");
    }

    [Fact]
    public async Task RoomMembership_SendsRoomAddedUpdatedAndRemoved_AndRemovalStopsTheRoomAtOnce()
    {
        var scene = await SceneAsync(app);
        var (bob, _) = await OpenAsync(app, scene.Bob.Access);
        var (carol, _) = await OpenAsync(app, scene.Carol.Access);
        using var __ = bob;
        using var ___ = carol;

        var room = await ChatKit.CreateRoomAsync(scene.Alice, scene.ProjectId, "Fresh", scene.Bob.Id);
        var added = await bob.ReceiveWhereAsync("room_added", f => (int)f["room"]!["id"]! == room);
        Assert.Equal("Fresh", (string)added["room"]!["display_name"]!);

        await (await scene.Alice.Client.PostAsJsonAsync($"/api/chat/rooms/{room}/add_participant/", new { user_id = scene.Carol.Id }))
            .EnsureStatusAsync(200);
        await carol.ReceiveWhereAsync("room_added", f => (int)f["room"]!["id"]! == room);
        var updated = await bob.ReceiveWhereAsync("room_updated", f => (int)f["room"]!["id"]! == room);
        Assert.Contains(updated["room"]!["participants"]!.AsArray(), p => (int)p!["user"]!["id"]! == scene.Carol.Id);

        // Carol's socket carries the new room at once.
        await scene.Alice.SendRestAsync(room, "welcome carol");
        await carol.ReceiveMessageInAsync(room, "welcome carol");

        await (await scene.Alice.Client.PostAsJsonAsync($"/api/chat/rooms/{room}/remove_participant/", new { user_id = scene.Carol.Id }))
            .EnsureStatusAsync(204);
        await carol.ReceiveWhereAsync("room_removed", f => (int)f["room_id"]! == room);
        await bob.ReceiveWhereAsync("room_updated", f => (int)f["room"]!["id"]! == room && f["room"]!["participants"]!.AsArray().Count == 2);
        await scene.Alice.SendRestAsync(room, "after carol left");
        await bob.ReceiveMessageInAsync(room, "after carol left");
        await carol.SendAsync(new { type = "ping" });
        var seen = new List<JsonObject>();
        await carol.ReceiveWhereAsync("pong", _ => true, seen);
        Assert.DoesNotContain(seen, f => (int?)f["room_id"] == room);
        await carol.SendAsync(new { type = "message_send", room_id = room, content = "still here?" });
        Assert.Equal("not_found", (string)(await carol.ReceiveTypeAsync("error"))["code"]!);
    }

    [Fact]
    public async Task Rename_IsForTheCreatorOrAnAdmin_AndSendsRoomUpdated()
    {
        var scene = await SceneAsync(app);
        var (bob, _) = await OpenAsync(app, scene.Bob.Access);
        using var __ = bob;
        var url = $"/api/chat/rooms/{scene.RoomId}/";

        await (await scene.Bob.Client.PatchAsJsonAsync(url, new { name = "Mine now" })).ProblemAsync(403);
        await (await scene.Carol.Client.PatchAsJsonAsync(url, new { name = "Outsider" })).ProblemAsync(404);
        await (await scene.Alice.Client.PatchAsJsonAsync(url, new { })).AssertFieldErrorAsync("name");
        await (await scene.Alice.Client.PatchAsJsonAsync(url, new { name = new string('n', 201) })).AssertFieldErrorAsync("name");

        var renamed = await (await scene.Alice.Client.PatchAsJsonAsync(url, new { name = "  Renamed  " })).JsonAsync(200);
        Assert.Equal("Renamed", (string)renamed["name"]!);
        var frame = await bob.ReceiveWhereAsync("room_updated", f => (int)f["room"]!["id"]! == scene.RoomId);
        Assert.Equal("Renamed", (string)frame["room"]!["display_name"]!);

        var direct = await (await scene.Alice.Client.PostAsJsonAsync("/api/chat/rooms/",
            new { type = "direct", project = scene.ProjectId, participant_ids = new[] { scene.Bob.Id } })).JsonAsync(201);
        await (await scene.Alice.Client.PatchAsJsonAsync($"/api/chat/rooms/{(int)direct["id"]!}/", new { name = "x" })).ProblemAsync(400);
    }

    [Fact]
    public async Task UnreadUpdated_FollowsMessagesByOthers_AndMarkRead()
    {
        var scene = await SceneAsync(app);
        var (bob, _) = await OpenAsync(app, scene.Bob.Access);
        using var __ = bob;

        await scene.Alice.SendRestAsync(scene.RoomId, "one");
        var first = await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId);
        Assert.Equal(1, (int)first["unread_count"]!);
        Assert.Equal(0, (int)first["mention_count"]!);
        Assert.Equal(0, (int)first["unread_thread_count"]!);
        await scene.Alice.SendRestAsync(scene.RoomId, "two");
        Assert.Equal(2, (int)(await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId))["unread_count"]!);

        // Bob's own message is not unread for him.
        await scene.Bob.SendRestAsync(scene.RoomId, "mine");
        await bob.ReceiveMessageInAsync(scene.RoomId, "mine");

        // The socket's own count and the read mark's answer may both announce the read; take the last.
        await (await scene.Bob.Client.PostAsync($"/api/chat/rooms/{scene.RoomId}/mark_read/", null)).EnsureStatusAsync(200);
        Assert.Equal(0, (int)(await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId))["unread_count"]!);
        await bob.SendAsync(new { type = "ping" });
        var seen = new List<JsonObject>();
        await bob.ReceiveWhereAsync("pong", _ => true, seen);
        Assert.All(seen.Where(f => (string?)f["type"] == "unread_updated"), f => Assert.Equal(0, (int)f["unread_count"]!));

        var id = (int)(await scene.Alice.SendRestAsync(scene.RoomId, "three"))["id"]!;
        Assert.Equal(1, (int)(await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId))["unread_count"]!);
        await (await scene.Alice.Client.DeleteAsync($"/api/chat/messages/{id}/")).EnsureStatusAsync(204);
        Assert.Equal(0, (int)(await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId))["unread_count"]!);
    }

    [Fact]
    public async Task UnreadUpdated_KeepsTheMentionCount_WhenLaterMessagesArrive()
    {
        var scene = await SceneAsync(app);
        var (bob, _) = await OpenAsync(app, scene.Bob.Access);
        using var __ = bob;

        await scene.Alice.SendRestAsync(scene.RoomId, $"@{scene.Bob.Username} have a look");
        await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId && (int)f["mention_count"]! == 1);
        await scene.Alice.SendRestAsync(scene.RoomId, "and another thing");
        var later = await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId && (int)f["unread_count"]! == 2);
        Assert.Equal(1, (int)later["mention_count"]!);

        // Nothing after the last frame may take the mention back.
        await bob.SendAsync(new { type = "ping" });
        var seen = new List<JsonObject>();
        await bob.ReceiveWhereAsync("pong", _ => true, seen);
        Assert.All(seen.Where(f => (string?)f["type"] == "unread_updated"), f => Assert.Equal(1, (int)f["mention_count"]!));

        await (await scene.Bob.Client.PostAsync($"/api/chat/rooms/{scene.RoomId}/mark_read/", null)).EnsureStatusAsync(200);
        var read = await bob.ReceiveWhereAsync("unread_updated", f => (int)f["room_id"]! == scene.RoomId && (int)f["unread_count"]! == 0);
        Assert.Equal(0, (int)read["mention_count"]!);
    }

    [Fact]
    public async Task Topics_RefuseOutsiders_DeliverTicketFramesOnce_AndEndWhenTheMemberIsRemoved()
    {
        var scene = await SceneAsync(app);
        var outsider = await app.CreateUserAsync("outsider");
        var ticket = await (await scene.Alice.Client.PostAsJsonAsync("/api/tickets/", new { project = scene.ProjectId, title = "Live" })).JsonAsync(201);
        var ticketId = (int)ticket["id"]!;
        var (bob, _) = await OpenAsync(app, scene.Bob.Access);
        var (stranger, _) = await OpenAsync(app, outsider.Access);
        using var __ = bob;
        using var ___ = stranger;

        string[] topics = [$"project:{scene.ProjectId}", $"ticket:{ticketId}"];
        await stranger.SendAsync(new { type = "subscribe", topics });
        Assert.Equal("not_found", (string)(await stranger.ReceiveTypeAsync("error"))["code"]!);
        await stranger.SendAsync(new { type = "subscribe", topics = new[] { "ticket:99999999" } });
        Assert.Equal("not_found", (string)(await stranger.ReceiveTypeAsync("error"))["code"]!);
        await stranger.SendAsync(new { type = "subscribe", topics = new[] { "weather:1" } });
        Assert.Equal("not_found", (string)(await stranger.ReceiveTypeAsync("error"))["code"]!);

        await bob.SendAsync(new { type = "subscribe", topics });
        Assert.Equal(topics, (await bob.ReceiveTypeAsync("subscribed"))["topics"]!.AsArray().Select(t => (string)t!));

        await (await scene.Alice.Client.PatchAsJsonAsync($"/api/tickets/{ticketId}/", new { status = "in_progress" })).EnsureStatusAsync(200);
        var seen = new List<JsonObject>();
        var updated = await bob.ReceiveWhereAsync("ticket_updated", _ => true, seen);
        Assert.Equal("in_progress", (string)updated["ticket"]!["status"]!);
        var created = await (await scene.Alice.Client.PostAsJsonAsync("/api/tickets/", new { project = scene.ProjectId, title = "Another" })).JsonAsync(201);
        var createdFrame = await bob.ReceiveWhereAsync("ticket_created", _ => true, seen);
        Assert.Equal(JsonNode.Parse(created.ToJsonString())!.ToJsonString(), createdFrame["ticket"]!.ToJsonString());
        // Subscribed to the project and the ticket: the update still came once.
        Assert.Single(seen, f => (string?)f["type"] == "ticket_updated");

        var comment = await (await scene.Alice.Client.PostAsJsonAsync($"/api/tickets/{ticketId}/comments/", new { body = "on it" })).JsonAsync(201);
        var added = await bob.ReceiveTypeAsync("comment_added");
        Assert.Equal(ticketId, (int)added["ticket_id"]!);
        Assert.Equal((int)comment["id"]!, (int)added["comment"]!["id"]!);

        await (await scene.Alice.Client.DeleteAsync($"/api/projects/{scene.ProjectId}/members/{scene.Bob.Id}/")).EnsureStatusAsync(204);
        var ended = await bob.ReceiveTypeAsync("unsubscribed");
        Assert.Equal(topics.Order(), ended["topics"]!.AsArray().Select(t => (string)t!).Order());
        await (await scene.Alice.Client.PatchAsJsonAsync($"/api/tickets/{ticketId}/", new { title = "After bob left" })).EnsureStatusAsync(200);
        await bob.SendAsync(new { type = "ping" });
        seen.Clear();
        await bob.ReceiveWhereAsync("pong", _ => true, seen);
        Assert.DoesNotContain(seen, f => ((string?)f["type"])?.StartsWith("ticket_", StringComparison.Ordinal) == true);
        await bob.SendAsync(new { type = "subscribe", topics });
        Assert.Equal("not_found", (string)(await bob.ReceiveTypeAsync("error"))["code"]!);
    }

    [Fact]
    public async Task Session_IsInHello_LoggingOutClosesBothSocketsWith4401_AndItsTokenIsRefused()
    {
        var scene = await SceneAsync(app);
        var token = scene.Bob.Access;
        var (user, hello) = await OpenAsync(app, token);
        using var _ = user;
        var sessions = await scene.Bob.Client.GetFromJsonAsync<JsonObject>("/api/auth/sessions/");
        var current = sessions!["results"]!.AsArray().Single(s => (bool)s!["current"]!)!;
        Assert.Equal((long)current["id"]!, (long)hello["session_id"]!);
        using var room = await ConnectAsync(app, scene.RoomId, token);
        await room.SendAsync(new { type = "ping" });
        await room.ReceiveTypeAsync("pong");

        // The clock starts when the logout is answered (committed), as the contract's second does.
        await (await scene.Bob.Client.PostAsync("/api/auth/logout/", null)).EnsureStatusAsync(204);
        var started = DateTime.UtcNow;
        Assert.Equal(4401, await user.ClosedWithAsync());
        Assert.Equal(4401, await room.ClosedWithAsync());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1), "sockets of an ended session close within a second");

        Assert.Equal(401, await RefusedUserStatusAsync(app, token));
        Assert.Equal(401, await RefusedStatusAsync(app, scene.RoomId, token));
        using var byFrame = await ConnectUserAsync(app, token: null);
        await byFrame.SendAsync(new { type = "auth", token });
        Assert.Equal(4401, await byFrame.ClosedWithAsync());
    }

    [Fact]
    public async Task Handshake_RefusesBadTokensAndForeignOrigins()
    {
        var alice = await app.CreateUserAsync("alice");
        Assert.Equal(401, await RefusedUserStatusAsync(app, "not-a-token"));
        Assert.Equal(403, await RefusedUserStatusAsync(app, alice.Access, origin: "https://evil.example"));
        using var byFrame = await ConnectUserAsync(app, token: null);
        await byFrame.SendAsync(new { type = "auth", token = alice.Access });
        Assert.Equal("hello", (string)(await byFrame.ReceiveAsync())!["type"]!);
    }

    [Fact]
    public async Task Presence_GoesOnlineAwayAndOffline_ForPeopleWhoShareAProject()
    {
        var scene = await SceneAsync(app);
        var outsider = await app.CreateUserAsync("outsider");
        var (alice, _) = await OpenAsync(app, scene.Alice.Access);
        using var __ = alice;
        bool Bob(JsonObject f, string status) => (int)f["user_id"]! == scene.Bob.Id && (string)f["status"]! == status;

        var (bob, _) = await OpenAsync(app, scene.Bob.Access);
        await alice.ReceiveWhereAsync("presence_changed", f => Bob(f, "online"));
        Assert.Equal("online", await StatusOfAsync(scene.Alice, scene.Bob.Id));

        // No activity frame for 1.5 s: away. One activity frame: online again.
        await alice.ReceiveWhereAsync("presence_changed", f => Bob(f, "away"));
        await bob.SendAsync(new { type = "activity" });
        await alice.ReceiveWhereAsync("presence_changed", f => Bob(f, "online"));

        bob.Dispose();
        var closedAt = DateTime.UtcNow;
        await alice.ReceiveWhereAsync("presence_changed", f => Bob(f, "offline"));
        Assert.True(DateTime.UtcNow - closedAt >= TimeSpan.FromSeconds(0.9), "offline only after the grace period");
        Assert.Equal("offline", await StatusOfAsync(scene.Alice, scene.Bob.Id));

        var list = await (await outsider.Client.GetAsync($"/api/users/presence/?ids={scene.Bob.Id},{outsider.Id}")).JsonAsync(200);
        Assert.Equal([outsider.Id], list["results"]!.AsArray().Select(r => (int)r!["user_id"]!));
        await (await outsider.Client.GetAsync("/api/users/presence/?ids=1,abc")).AssertFieldErrorAsync("ids");
        await (await outsider.Client.GetAsync("/api/users/presence/")).AssertFieldErrorAsync("ids");
        await (await outsider.Client.GetAsync("/api/users/presence/?ids=-4")).AssertFieldErrorAsync("ids");
    }

    private static async Task<string> StatusOfAsync(TestUser viewer, int userId)
    {
        var list = await (await viewer.Client.GetAsync($"/api/users/presence?ids={userId}")).JsonAsync(200);
        return (string)list["results"]!.AsArray().Single()!["status"]!;
    }
}

public sealed class SqliteUserSocketTests(SqliteUserSocketApp app) : UserSocketTests(app), IClassFixture<SqliteUserSocketApp>;

public sealed class PostgresUserSocketTests(PostgresUserSocketApp app) : UserSocketTests(app), IClassFixture<PostgresUserSocketApp>;
