using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Chat;

public sealed class MessagesTestsOnSqlite(SqliteApp app) : MessagesTests(app), IClassFixture<SqliteApp>;

public sealed class MessagesTestsOnPostgres(PostgresApp app) : MessagesTests(app), IClassFixture<PostgresApp>;

public abstract class MessagesTests(SwitchboardApp app)
{
    private static int[] Ids(JsonObject page) => page["results"]!.AsArray().Select(m => (int)m!["id"]!).ToArray();

    [Fact]
    public async Task Send_ReturnsTheMessageInTheReferenceShape()
    {
        var c = await app.CastAsync();
        var message = await (await c.Participant.PostMessageAsync(c.RoomId, "Hello!", clientId: "c-1")).JsonAsync(201);
        Assert.Equal(
            ["id", "room", "user", "content", "type", "attachment_url", "attachment_name", "attachment_size", "thumbnail_url", "client_id",
             "reactions", "created_at", "updated_at", "is_edited", "edited_at", "is_pinned", "pinned_by", "pinned_at",
             "thread_root_id", "also_send_to_room", "reply_count", "last_reply_at", "thread_participants", "is_following", "mentions", "is_deleted",
             "event", "duration_ms", "waveform", "tickets"],
            message.Select(p => p.Key).ToArray());
        Assert.Equal(c.RoomId, (int)message["room"]!);
        Assert.Equal(c.Participant.Id, (int)message["user"]!["id"]!);
        Assert.Equal("Hello!", (string)message["content"]!);
        Assert.Equal("text", (string)message["type"]!);
        Assert.Equal("c-1", (string)message["client_id"]!);
        Assert.Null(message["attachment_url"]);
        Assert.Empty(message["reactions"]!.AsArray());
        Assert.False((bool)message["is_edited"]!);
        Assert.Null(message["edited_at"]);
        Assert.EndsWith("Z", (string)message["created_at"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("creator", 201)]
    [InlineData("participant", 201)]
    [InlineData("admin", 201)]
    [InlineData("viewer", 403)]
    [InlineData("member", 404)]
    [InlineData("owner", 404)]
    [InlineData("outsider", 404)]
    public async Task Send_ByRole(string who, int status)
    {
        var c = await app.CastAsync();
        var response = await c.As(who).PostMessageAsync(c.RoomId, "hi");
        if (status == 201)
        {
            await response.EnsureStatusAsync(201);
        }
        else
        {
            await response.ProblemAsync(status);
        }
    }

    [Theory]
    [InlineData("creator", 200)]
    [InlineData("viewer", 200)]
    [InlineData("member", 404)]
    [InlineData("owner", 404)]
    [InlineData("outsider", 404)]
    public async Task List_ByRole(string who, int status)
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "hi");
        var user = c.As(who);
        var list = await user.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}");
        var single = await user.Client.GetAsync($"/api/chat/messages/{id}/");
        if (status == 200)
        {
            Assert.Equal([id], Ids(await list.JsonAsync(200)));
            await single.EnsureStatusAsync(200);
        }
        else
        {
            await list.ProblemAsync(404);
            await single.ProblemAsync(404);
        }
    }

    [Theory]
    [InlineData("{\"room\": 0, \"content\": \"\", \"type\": \"text\"}", "content")]
    [InlineData("{\"room\": 0, \"content\": \"   \", \"type\": \"text\"}", "content")]
    [InlineData("{\"room\": 0, \"content\": \"x\", \"type\": \"video\"}", "type")]
    [InlineData("{\"room\": 0, \"content\": \"x\", \"type\": \"image\"}", "attachment")]
    [InlineData("{\"room\": 0, \"content\": \"x\", \"type\": \"file\"}", "attachment")]
    [InlineData("{\"content\": \"x\"}", "room")]
    [InlineData("{\"room\": \"abc\", \"content\": \"x\"}", "room")]
    [InlineData("{\"room\": 0, \"content\": 5}", "content")]
    [InlineData("{\"room\": 0, \"content\": \"x\", \"client_id\": \"CLIENTID\"}", "client_id")]
    public async Task Send_BadInput_Returns400NamingTheField(string template, string field)
    {
        var c = await app.CastAsync();
        var body = template.Replace("\"room\": 0", $"\"room\": {c.RoomId}", StringComparison.Ordinal)
            .Replace("CLIENTID", new string('x', 65), StringComparison.Ordinal);
        await (await c.Participant.Client.PostRawAsync("/api/chat/messages/", body)).AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Send_ContentUpTo10000Characters()
    {
        var c = await app.CastAsync();
        await (await c.Participant.PostMessageAsync(c.RoomId, new string('a', 10_000))).EnsureStatusAsync(201);
        await (await c.Participant.PostMessageAsync(c.RoomId, new string('a', 10_001))).AssertFieldErrorAsync("content");
        await (await c.Participant.PostMessageAsync(c.RoomId, new string('a', 1_000_000))).AssertFieldErrorAsync("content");
    }

    [Fact]
    public async Task Send_WrongContentType_Returns415()
    {
        var c = await app.CastAsync();
        var response = await c.Participant.Client.PostAsync("/api/chat/messages/", new StringContent("room=1", System.Text.Encoding.UTF8, "text/plain"));
        await response.ProblemAsync(415);
    }

    [Fact]
    public async Task ClientId_SentTwice_ReturnsTheFirstMessageWith200()
    {
        var c = await app.CastAsync();
        var first = await (await c.Participant.PostMessageAsync(c.RoomId, "once", "dup-1")).JsonAsync(201);
        var second = await (await c.Participant.PostMessageAsync(c.RoomId, "once", "dup-1")).JsonAsync(200);
        Assert.Equal((int)first["id"]!, (int)second["id"]!);
        // Idempotency is per sender: someone else may use the same client id.
        await (await c.Creator.PostMessageAsync(c.RoomId, "mine", "dup-1")).EnsureStatusAsync(201);
        var list = await (await c.Creator.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        Assert.Equal(2, (int)list["count"]!);
    }

    [Fact]
    public async Task ClientId_SentConcurrently_CreatesOneMessage()
    {
        var c = await app.CastAsync();
        using var recorder = app.RecordEvents();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => c.Participant.PostMessageAsync(c.RoomId, "race", "same-moment")));
        var ids = new HashSet<int>();
        foreach (var response in responses)
        {
            Assert.True((int)response.StatusCode is 200 or 201, await response.Content.ReadAsStringAsync());
            ids.Add((int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!);
        }
        Assert.Single(ids);
        Assert.Single(responses, r => (int)r.StatusCode == 201);
        var list = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        Assert.Equal(1, (int)list["count"]!);
        // The room may hear of it more than once (a repeated client_id is told again, in case the
        // first broadcast was lost), but only ever of this one message.
        var told = recorder.FramesFor(c.RoomId).Where(f => (string)f["type"]! == "message_new").ToList();
        Assert.NotEmpty(told);
        Assert.All(told, f => Assert.Equal(ids.Single(), (int)f["message"]!["id"]!));
    }

    [Fact]
    public async Task History_120Messages_PagedBothWays_WithoutGapOrDuplicate()
    {
        var c = await app.CastAsync();
        var sent = new List<int>();
        for (var i = 0; i < 125; i++)
        {
            sent.Add(await (i % 2 == 0 ? c.Creator : c.Participant).SendIdAsync(c.RoomId, $"message {i}"));
        }

        // Backwards from the newest page, following "previous".
        var seen = new List<int>();
        string? url = $"/api/chat/messages/?room={c.RoomId}&page_size=20";
        var first = true;
        while (url is not null)
        {
            var page = await (await c.Participant.Client.GetAsync(url)).JsonAsync(200);
            Assert.Equal(125, (int)page["count"]!);
            var ids = Ids(page);
            Assert.Equal(ids.Order(), ids);
            if (first)
            {
                Assert.Null(page["next"]);
                first = false;
            }
            else
            {
                Assert.NotNull(page["next"]);
            }
            seen.InsertRange(0, ids);
            url = (string?)page["previous"];
            Assert.True(url is null || url.StartsWith("http", StringComparison.Ordinal));
        }
        Assert.Equal(sent, seen);

        // Forwards from the beginning, following "next" (catch-up after a reconnect).
        seen.Clear();
        url = $"/api/chat/messages/?room={c.RoomId}&after=0&page_size=30";
        while (url is not null)
        {
            var page = await (await c.Participant.Client.GetAsync(url)).JsonAsync(200);
            seen.AddRange(Ids(page));
            url = (string?)page["next"];
        }
        Assert.Equal(sent, seen);

        var after = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&after={sent[^3]}")).JsonAsync(200);
        Assert.Equal(sent[^2..], Ids(after));
        Assert.Null(after["next"]);
        var newest = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        Assert.Equal(sent[^50..], Ids(newest));
        var big = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&page_size=1000")).JsonAsync(200);
        Assert.Equal(125, Ids(big).Length);
    }

    [Theory]
    [InlineData("before=abc", "before")]
    [InlineData("after=-1", "after")]
    [InlineData("before=5&after=3", "before")]
    public async Task List_BadCursor_Returns400(string query, string field)
    {
        var c = await app.CastAsync();
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&{query}")).AssertFieldErrorAsync(field);
        await (await c.Participant.Client.GetAsync("/api/chat/messages/")).AssertFieldErrorAsync("room");
    }

    [Theory]
    [InlineData("participant", 200)]
    [InlineData("creator", 403)]
    [InlineData("admin", 403)]
    [InlineData("member", 404)]
    [InlineData("outsider", 404)]
    public async Task Edit_AuthorOnly(string who, int status)
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "first");
        var response = await c.As(who).Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = "second" });
        if (status == 200)
        {
            var edited = await response.JsonAsync(200);
            Assert.Equal("second", (string)edited["content"]!);
            Assert.True((bool)edited["is_edited"]!);
            Assert.NotNull(edited["edited_at"]);
        }
        else
        {
            await response.ProblemAsync(status);
        }
    }

    [Fact]
    public async Task Edit_IgnoresFieldsTheClientMayNotSet_AndValidatesContent()
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "first");
        var edited = await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/",
            new { content = "ok", room = 999, user = c.Admin.Id, is_edited = false, created_at = "2000-01-01T00:00:00Z" })).JsonAsync(200);
        Assert.Equal(c.RoomId, (int)edited["room"]!);
        Assert.Equal(c.Participant.Id, (int)edited["user"]!["id"]!);
        Assert.True((bool)edited["is_edited"]!);
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = " " })).AssertFieldErrorAsync("content");
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = new string('x', 10_001) })).AssertFieldErrorAsync("content");
    }

    [Theory]
    [InlineData("participant", 204)]
    [InlineData("creator", 204)]
    [InlineData("admin", 204)]
    [InlineData("viewer", 403)]
    [InlineData("member", 404)]
    [InlineData("owner", 404)]
    [InlineData("outsider", 404)]
    public async Task Delete_ByAuthorRoomCreatorOrAdmin(string who, int status)
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "doomed");
        var other = await c.Admin.SendIdAsync(c.RoomId, "not the participant's");
        var response = await c.As(who).Client.DeleteAsync($"/api/chat/messages/{id}/");
        if (status == 204)
        {
            await response.EnsureStatusAsync(204);
            await (await c.Participant.Client.GetAsync($"/api/chat/messages/{id}/")).ProblemAsync(404);
        }
        else
        {
            await response.ProblemAsync(status);
        }
        // A plain participant cannot delete someone else's message.
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{other}/")).ProblemAsync(403);
    }

    [Fact]
    public async Task Reactions_AddTwiceIsHarmless_RemoveTakesItBack()
    {
        var c = await app.CastAsync();
        var id = await c.Creator.SendIdAsync(c.RoomId, "react to me");
        var url = $"/api/chat/messages/{id}";
        var once = await (await c.Participant.PostJsonAsync($"{url}/add_reaction/", new { emoji = "👍" })).JsonAsync(200);
        var reaction = Assert.Single(once["reactions"]!.AsArray())!.AsObject();
        Assert.Equal(["id", "user", "emoji", "created_at"], reaction.Select(p => p.Key).ToArray());
        Assert.Equal(c.Participant.Id, (int)reaction["user"]!["id"]!);
        var twice = await (await c.Participant.PostJsonAsync($"{url}/add_reaction/", new { emoji = "👍" })).JsonAsync(200);
        Assert.Single(twice["reactions"]!.AsArray());
        await (await c.Creator.PostJsonAsync($"{url}/add_reaction/", new { emoji = "👍" })).EnsureStatusAsync(200);
        await (await c.Participant.PostJsonAsync($"{url}/add_reaction/", new { emoji = "🎉" })).EnsureStatusAsync(200);
        var removed = await (await c.Participant.PostJsonAsync($"{url}/remove_reaction/", new { emoji = "👍" })).JsonAsync(200);
        Assert.Equal(["👍", "🎉"], removed["reactions"]!.AsArray().Select(r => (string)r!["emoji"]!).ToArray());
        Assert.Equal(c.Creator.Id, (int)removed["reactions"]![0]!["user"]!["id"]!);
        await (await c.Participant.PostJsonAsync($"{url}/remove_reaction/", new { emoji = "👍" })).EnsureStatusAsync(200);
    }

    [Theory]
    [InlineData("viewer", 403)]
    [InlineData("member", 404)]
    [InlineData("outsider", 404)]
    public async Task Reactions_ByNonWriters(string who, int status)
    {
        var c = await app.CastAsync();
        var id = await c.Creator.SendIdAsync(c.RoomId, "react to me");
        await (await c.As(who).PostJsonAsync($"/api/chat/messages/{id}/add_reaction/", new { emoji = "👍" })).ProblemAsync(status);
        await (await c.As(who).PostJsonAsync($"/api/chat/messages/{id}/remove_reaction/", new { emoji = "👍" })).ProblemAsync(status);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a")]
    [InlineData(":)")]
    [InlineData("👍👍")]
    [InlineData("👍 ")]
    [InlineData("")]
    [InlineData("1")]
    public async Task Reactions_NotASingleEmoji_Return400(string emoji)
    {
        var c = await app.CastAsync();
        var id = await c.Creator.SendIdAsync(c.RoomId, "react to me");
        await (await c.Participant.PostJsonAsync($"/api/chat/messages/{id}/add_reaction/", new { emoji })).AssertFieldErrorAsync("emoji");
        await (await c.Participant.PostJsonAsync($"/api/chat/messages/{id}/add_reaction/", new { })).AssertFieldErrorAsync("emoji");
    }

    [Fact]
    public async Task Search_FindsWholeWordsInMyRoomsOnly_NewestFirst()
    {
        var c = await app.CastAsync();
        var other = await ChatKit.CreateRoomAsync(c.Member, c.ProjectId, "Secret", c.Admin.Id);
        var word = "zebra" + Guid.NewGuid().ToString("N")[..6];
        var a = await c.Participant.SendIdAsync(c.RoomId, $"the {word} is here");
        await c.Participant.SendIdAsync(c.RoomId, $"the {word}s are many, x{word} too");
        var b = await c.Creator.SendIdAsync(c.RoomId, $"{word.ToUpperInvariant()}! again");
        await c.Member.SendIdAsync(other, $"a secret {word}");

        var page = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search={word}")).JsonAsync(200);
        Assert.Equal([b, a], Ids(page));
        var inRoom = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search={word}&room={c.RoomId}")).JsonAsync(200);
        Assert.Equal([b, a], Ids(inRoom));
        var twoWords = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search=again%20{word}")).JsonAsync(200);
        Assert.Equal([b], Ids(twoWords));
        // FTS syntax is just text.
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search=%22{word}%20OR%20*")).EnsureStatusAsync(200);
        await (await c.Participant.Client.GetAsync("/api/chat/messages/?search=%21%21%21")).EnsureStatusAsync(200);

        // The admin is in both rooms and sees both; after leaving the secret room, only one.
        var admin = await (await c.Admin.Client.GetAsync($"/api/chat/messages/?search={word}")).JsonAsync(200);
        Assert.Equal(3, (int)admin["count"]!);
        await (await c.Admin.PostJsonAsync($"/api/chat/rooms/{other}/remove_participant/", new { user_id = c.Admin.Id })).EnsureStatusAsync(204);
        admin = await (await c.Admin.Client.GetAsync($"/api/chat/messages/?search={word}")).JsonAsync(200);
        Assert.Equal([b, a], Ids(admin));
        var outsider = await (await c.Outsider.Client.GetAsync($"/api/chat/messages/?search={word}")).JsonAsync(200);
        Assert.Equal(0, (int)outsider["count"]!);
        var notMine = await (await c.Outsider.Client.GetAsync($"/api/chat/messages/?search={word}&room={c.RoomId}")).JsonAsync(200);
        Assert.Equal(0, (int)notMine["count"]!);
    }

    [Fact]
    public async Task Search_PagesThroughEveryMatch_WithCountAndLinks()
    {
        var c = await app.CastAsync();
        var word = "tapir" + Guid.NewGuid().ToString("N")[..6];
        var sent = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            sent.Add(await c.Participant.SendIdAsync(c.RoomId, $"{word} number {i}"));
        }
        await c.Participant.SendIdAsync(c.RoomId, "not a match");
        var newestFirst = Enumerable.Reverse(sent).ToArray();

        var first = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search={word}&page_size=5")).JsonAsync(200);
        Assert.Equal(12, (int)first["count"]!);
        Assert.Equal(newestFirst[..5], Ids(first));
        Assert.Null(first["previous"]);
        var second = await (await c.Participant.Client.GetAsync((string)first["next"]!)).JsonAsync(200);
        Assert.Equal(newestFirst[5..10], Ids(second));
        var third = await (await c.Participant.Client.GetAsync((string)second["next"]!)).JsonAsync(200);
        Assert.Equal(newestFirst[10..], Ids(third));
        Assert.Equal(12, (int)third["count"]!);
        Assert.Null(third["next"]);
        Assert.Contains("page=2", (string)third["previous"]!);

        var last = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search={word}&page_size=5&page=last")).JsonAsync(200);
        Assert.Equal(newestFirst[10..], Ids(last));
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search={word}&page_size=5&page=4")).EnsureStatusAsync(404);
        var none = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search=nomatch{word}&page_size=5")).JsonAsync(200);
        Assert.Equal(0, (int)none["count"]!);
        Assert.Empty(Ids(none));
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search=nomatch{word}&page=2")).EnsureStatusAsync(404);
    }

    [Fact]
    public async Task Search_FollowsEditsAndDeletes()
    {
        var c = await app.CastAsync();
        var word = "okapi" + Guid.NewGuid().ToString("N")[..6];
        var id = await c.Participant.SendIdAsync(c.RoomId, "nothing yet");
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = $"now {word}" })).EnsureStatusAsync(200);
        Assert.Equal([id], Ids(await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search={word}")).JsonAsync(200)));
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{id}/")).EnsureStatusAsync(204);
        Assert.Empty(Ids(await (await c.Participant.Client.GetAsync($"/api/chat/messages/?search={word}")).JsonAsync(200)));
    }
}
