using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Chat;

public sealed class MessageExtrasTestsOnSqlite(SqliteApp app) : MessageExtrasTests(app), IClassFixture<SqliteApp>;

public sealed class MessageExtrasTestsOnPostgres(PostgresApp app) : MessageExtrasTests(app), IClassFixture<PostgresApp>;

/// <summary>Edit history, pins and the around cursor.</summary>
public abstract class MessageExtrasTests(SwitchboardApp app)
{
    private static int[] Ids(JsonObject page) => page["results"]!.AsArray().Select(m => (int)m!["id"]!).ToArray();

    private static Task<HttpResponseMessage> EditAsync(TestUser user, int id, string content) =>
        user.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content });

    private static Task<HttpResponseMessage> PinAsync(TestUser user, int id, string action = "pin") =>
        user.Client.PostAsync($"/api/chat/messages/{id}/{action}/", null);

    [Fact]
    public async Task History_ListsEarlierVersionsOldestFirst_WithoutTheCurrentOne()
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "first");
        var fresh = await (await c.Participant.Client.GetAsync($"/api/chat/messages/{id}/history/")).JsonAsync(200);
        Assert.Equal(0, (int)fresh["count"]!);

        await (await EditAsync(c.Participant, id, "second")).EnsureStatusAsync(200);
        await (await EditAsync(c.Participant, id, "second")).EnsureStatusAsync(200); // no change, no version
        var edited = await (await EditAsync(c.Participant, id, "third")).JsonAsync(200);

        var history = await (await c.Admin.Client.GetAsync($"/api/chat/messages/{id}/history/")).JsonAsync(200);
        Assert.Equal(2, (int)history["count"]!);
        var versions = history["results"]!.AsArray();
        Assert.Equal(["first", "second"], versions.Select(v => (string)v!["content"]!).ToArray());
        Assert.Equal(["content", "edited_at"], versions[0]!.AsObject().Select(p => p.Key).ToArray());
        var times = versions.Select(v => DateTime.Parse((string)v!["edited_at"]!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(times[0] <= times[1]);
        Assert.True(times[1] <= DateTime.Parse((string)edited["edited_at"]!, System.Globalization.CultureInfo.InvariantCulture));

        var paged = await (await c.Admin.Client.GetAsync($"/api/chat/messages/{id}/history/?page_size=1&page=2")).JsonAsync(200);
        Assert.Equal("second", (string)paged["results"]![0]!["content"]!);
        Assert.Null(paged["next"]);
        Assert.NotNull(paged["previous"]);
    }

    [Fact]
    public async Task History_IsForParticipantsOnly()
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "secret draft");
        await (await EditAsync(c.Participant, id, "public text")).EnsureStatusAsync(200);
        await (await c.Viewer.Client.GetAsync($"/api/chat/messages/{id}/history/")).EnsureStatusAsync(200);
        foreach (var stranger in new[] { c.Outsider, c.Member, c.Owner })
        {
            var problem = await (await stranger.Client.GetAsync($"/api/chat/messages/{id}/history/")).ProblemAsync(404);
            Assert.DoesNotContain("secret draft", problem.ToJsonString());
        }
        await (await c.Participant.Client.GetAsync("/api/chat/messages/99999999/history/")).ProblemAsync(404);
    }

    [Fact]
    public async Task Pin_ShowsOnTheMessageEverywhere_AndTwiceIsHarmless()
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "pin me");
        using var events = app.RecordEvents();

        var pinned = await (await PinAsync(c.Admin, id)).JsonAsync(200);
        Assert.True((bool)pinned["is_pinned"]!);
        Assert.Equal(c.Admin.Id, (int)pinned["pinned_by"]!["id"]!);
        Assert.NotNull(pinned["pinned_at"]);
        var again = await (await PinAsync(c.Participant, id)).JsonAsync(200);
        Assert.Equal(c.Admin.Id, (int)again["pinned_by"]!["id"]!);
        Assert.Equal((string)pinned["pinned_at"]!, (string)again["pinned_at"]!);

        var frames = events.FramesFor(c.RoomId).Where(f => (string)f["type"]! == "message_pinned").ToList();
        var frame = Assert.Single(frames);
        Assert.Equal(c.RoomId, (int)frame["room_id"]!);
        Assert.Equal(id, (int)frame["message_id"]!);
        Assert.Equal(c.Admin.Id, (int)frame["pinned_by"]!["id"]!);

        var list = await (await c.Viewer.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        var listed = list["results"]!.AsArray().Single(m => (int)m!["id"]! == id)!;
        Assert.True((bool)listed["is_pinned"]!);
        Assert.Equal(c.Admin.Id, (int)listed["pinned_by"]!["id"]!);

        var other = await c.Participant.SendAsync(c.RoomId, "not pinned");
        Assert.False((bool)other["is_pinned"]!);
        Assert.Null(other["pinned_by"]);
        Assert.Null(other["pinned_at"]);

        var unpinned = await (await PinAsync(c.Participant, id, "unpin")).JsonAsync(200);
        Assert.False((bool)unpinned["is_pinned"]!);
        Assert.Null(unpinned["pinned_by"]);
        await (await PinAsync(c.Participant, id, "unpin")).EnsureStatusAsync(200);
        var unpinFrame = Assert.Single(events.FramesFor(c.RoomId), f => (string)f["type"]! == "message_unpinned");
        Assert.Equal(id, (int)unpinFrame["message_id"]!);
    }

    [Theory]
    [InlineData("viewer", 403)]
    [InlineData("outsider", 404)]
    [InlineData("member", 404)]
    [InlineData("participant", 200)]
    public async Task Pin_ByRole(string who, int status)
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "who may pin");
        var user = who switch { "viewer" => c.Viewer, "outsider" => c.Outsider, "member" => c.Member, _ => c.Participant };
        await (await PinAsync(user, id)).EnsureStatusAsync(status);
        await (await PinAsync(user, id, "unpin")).EnsureStatusAsync(status);
        var pins = await user.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/pins/");
        await pins.EnsureStatusAsync(status == 403 ? 200 : status);
    }

    [Fact]
    public async Task Pins_AreLimitedTo50PerRoom_AndListedNewestPinFirst()
    {
        var c = await app.CastAsync();
        var ids = new List<int>();
        for (var i = 0; i < 51; i++)
        {
            ids.Add(await c.Participant.SendIdAsync(c.RoomId, $"message {i}"));
        }
        for (var i = 0; i < 50; i++)
        {
            await (await PinAsync(c.Participant, ids[i])).EnsureStatusAsync(200);
        }
        var over = await PinAsync(c.Participant, ids[50]);
        await over.AssertFieldErrorAsync("pins");
        // Pinning one that is already pinned is still fine at the limit.
        await (await PinAsync(c.Participant, ids[3])).EnsureStatusAsync(200);

        var first = await (await c.Viewer.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/pins/?page_size=20")).JsonAsync(200);
        Assert.Equal(50, (int)first["count"]!);
        Assert.Equal(ids.Take(50).Reverse().Take(20).ToArray(), Ids(first));
        Assert.NotNull(first["next"]);

        // Deleting a pinned message frees its place.
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{ids[0]}/")).EnsureStatusAsync(204);
        await (await PinAsync(c.Participant, ids[50])).EnsureStatusAsync(200);
        var after = await (await c.Viewer.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/pins/?page_size=1")).JsonAsync(200);
        Assert.Equal(50, (int)after["count"]!);
        Assert.Equal([ids[50]], Ids(after));
    }

    [Fact]
    public async Task DeletingAPinnedMessage_PublishesUnpinned()
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "pinned then deleted");
        await (await PinAsync(c.Participant, id)).EnsureStatusAsync(200);
        using var events = app.RecordEvents();
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{id}/")).EnsureStatusAsync(204);
        Assert.Equal(["message_deleted", "message_unpinned"], events.FramesFor(c.RoomId).Select(f => (string)f["type"]!).ToArray());
        var pins = await (await c.Participant.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/pins/")).JsonAsync(200);
        Assert.Equal(0, (int)pins["count"]!);
    }

    [Fact]
    public async Task Around_ReturnsAPageCentredOnTheMessage_WithLinksBothWays()
    {
        var c = await app.CastAsync();
        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await c.Participant.SendIdAsync(c.RoomId, $"history {i}"));
        }
        var target = ids[10];
        var page = await (await c.Viewer.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&around={target}&page_size=5")).JsonAsync(200);
        Assert.Equal(ids.Skip(8).Take(5).ToArray(), Ids(page));
        Assert.Equal(30, (int)page["count"]!);

        var older = await (await c.Viewer.Client.GetAsync((string)page["previous"]!)).JsonAsync(200);
        Assert.Equal(ids.Skip(3).Take(5).ToArray(), Ids(older));
        var newer = await (await c.Viewer.Client.GetAsync((string)page["next"]!)).JsonAsync(200);
        Assert.Equal(ids.Skip(13).Take(5).ToArray(), Ids(newer));
        Assert.DoesNotContain("around", (string)page["next"]!, StringComparison.Ordinal);

        // Near the start: what there is, and no link back.
        var start = await (await c.Viewer.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&around={ids[0]}&page_size=5")).JsonAsync(200);
        Assert.Equal(ids.Take(3).ToArray(), Ids(start));
        Assert.Null(start["previous"]);
        Assert.NotNull(start["next"]);
    }

    [Fact]
    public async Task Around_RejectsBadInput()
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "here");
        var otherRoom = await ChatKit.CreateRoomAsync(c.Creator, c.ProjectId, "Other", c.Participant.Id);
        var elsewhere = await c.Participant.SendIdAsync(otherRoom, "elsewhere");
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&around=abc")).AssertFieldErrorAsync("around");
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&around={id}&before={id}")).AssertFieldErrorAsync("before");
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&around={elsewhere}")).ProblemAsync(404);
        await (await c.Outsider.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&around={id}")).ProblemAsync(404);
    }
}

public sealed class ServerMessageEditTestsOnSqlite(SqliteApp app) : ServerMessageEditTests(app), IClassFixture<SqliteApp>;

public sealed class ServerMessageEditTestsOnPostgres(PostgresApp app) : ServerMessageEditTests(app), IClassFixture<PostgresApp>;

/// <summary>System and voice messages are written by the server; nobody edits them, their author included.</summary>
public abstract class ServerMessageEditTests(SwitchboardApp app)
{
    [Theory]
    [InlineData(Switchboard.Features.Chat.Messages.MessageType.System)]
    [InlineData(Switchboard.Features.Chat.Messages.MessageType.Voice)]
    public async Task Edit_OfASystemOrVoiceMessage_IsRefused(Switchboard.Features.Chat.Messages.MessageType type)
    {
        var c = await app.CastAsync();
        int id;
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(app.Services))
        {
            var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<Switchboard.Data.AppDbContext>(scope.ServiceProvider);
            var message = new Switchboard.Features.Chat.Messages.ChatMessage
            {
                RoomId = c.RoomId, UserId = c.Participant.Id, Content = "Voice message (0:03)", Type = type,
                CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            };
            db.Add(message);
            await db.SaveChangesAsync();
            id = message.Id;
        }
        var read = await (await c.Participant.Client.GetAsync($"/api/chat/messages/{id}/")).JsonAsync(200);
        Assert.Equal(type.ToString().ToLowerInvariant(), (string)read["type"]!);
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = "changed" })).ProblemAsync(403);
        var history = await (await c.Participant.Client.GetAsync($"/api/chat/messages/{id}/history/")).JsonAsync(200);
        Assert.Equal(0, (int)history["count"]!);
    }
}
