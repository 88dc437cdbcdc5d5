using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Realtime;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Chat;

public sealed class ChatEventsTestsOnSqlite(SqliteApp app) : ChatEventsTests(app), IClassFixture<SqliteApp>;

public sealed class ChatEventsTestsOnPostgres(PostgresApp app) : ChatEventsTests(app), IClassFixture<PostgresApp>;

/// <summary>Every change publishes its frame once, after it is committed, and a refused change publishes nothing.</summary>
public abstract class ChatEventsTests(SwitchboardApp app)
{
    [Fact]
    public async Task EveryChange_PublishesItsFrameOnce()
    {
        var c = await app.CastAsync();
        using var recorder = app.RecordEvents();

        var id = (int)(await (await c.Participant.PostMessageAsync(c.RoomId, "hello", "ev-1")).JsonAsync(201))["id"]!;
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = "hello!" })).EnsureStatusAsync(200);
        await (await c.Creator.PostJsonAsync($"/api/chat/messages/{id}/add_reaction/", new { emoji = "🎉" })).EnsureStatusAsync(200);
        await (await c.Creator.PostJsonAsync($"/api/chat/messages/{id}/remove_reaction/", new { emoji = "🎉" })).EnsureStatusAsync(200);
        await (await c.Creator.Client.PostAsync($"/api/chat/rooms/{c.RoomId}/mark_read/", null)).EnsureStatusAsync(200);
        await (await c.Creator.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/add_participant/", new { user_id = c.Member.Id })).EnsureStatusAsync(200);
        await (await c.Creator.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/remove_participant/", new { user_id = c.Member.Id })).EnsureStatusAsync(204);
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{id}/")).EnsureStatusAsync(204);
        await (await c.Creator.Client.DeleteAsync($"/api/chat/rooms/{c.RoomId}/")).EnsureStatusAsync(204);

        var frames = recorder.FramesFor(c.RoomId);
        Assert.Equal(
            ["message_new", "message_edited", "reaction_added", "reaction_removed", "room_read", "read_receipt", "user_joined", "user_left", "message_deleted",
             "room_deleted"],
            frames.Select(f => (string)f["type"]!).ToArray());
        Assert.All(frames, f => Assert.Equal("type", f.First().Key));

        Assert.Equal("ev-1", (string)frames[0]["client_id"]!);
        Assert.Equal(id, (int)frames[0]["message"]!["id"]!);
        Assert.Equal("hello!", (string)frames[1]["message"]!["content"]!);
        Assert.Equal(id, (int)frames[2]["message_id"]!);
        Assert.Equal(["id", "user", "emoji", "created_at"], frames[2]["reaction"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(c.Creator.Id, (int)frames[3]["user_id"]!);
        Assert.Equal("🎉", (string)frames[3]["emoji"]!);
        Assert.Equal(c.Creator.Id, (int)frames[4]["user_id"]!);
        Assert.NotNull(frames[4]["last_read_at"]);
        Assert.Equal(c.Creator.Id, (int)frames[5]["user_id"]!);
        Assert.Equal(id, (int)frames[5]["last_read_message_id"]!);
        Assert.Equal(c.Member.Id, (int)frames[6]["user"]!["id"]!);
        Assert.Equal(c.Member.Id, (int)frames[7]["user"]!["id"]!);
        Assert.Equal(id, (int)frames[8]["message_id"]!);
        Assert.Equal(c.RoomId, (int)frames[9]["room_id"]!);

        var events = recorder.Events.Where(e => e.RoomId == c.RoomId).ToList();
        Assert.Equal(RoomEventEffect.DisconnectUser, events[7].Effect);
        Assert.Equal(c.Member.Id, events[7].AffectedUserId);
        Assert.Equal(RoomEventEffect.CloseRoom, events[9].Effect);
        // What the user sockets' unread counts follow: a new message by its author, a read by its reader, a deletion.
        Assert.Equal(RoomEventEffect.MessageAdded, events[0].Effect);
        Assert.Equal(c.Participant.Id, events[0].AffectedUserId);
        Assert.Equal(RoomEventEffect.Read, events[4].Effect);
        Assert.Equal(c.Creator.Id, events[4].AffectedUserId);
        Assert.Equal(RoomEventEffect.MessageRemoved, events[8].Effect);
        Assert.All(events.Where((_, i) => i is 1 or 2 or 3 or 5 or 6), e => Assert.Equal(RoomEventEffect.None, e.Effect));
    }

    [Fact]
    public async Task MessageNew_IsPublishedAfterTheCommit()
    {
        var c = await app.CastAsync();
        using var recorder = app.RecordEvents();
        var visibleAtPublish = new List<bool>();
        recorder.OnEvent = e =>
        {
            if (e.Frame is Switchboard.Features.Chat.MessageNewFrame frame)
            {
                // A separate connection: it sees only committed rows.
                using var scope = app.Services.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                visibleAtPublish.Add(db.Set<ChatMessage>().AsNoTracking().Any(m => m.Id == frame.Message.Id));
            }
        };
        await c.Participant.SendAsync(c.RoomId, "committed?");
        Assert.Equal([true], visibleAtPublish);
    }

    [Fact]
    public async Task RefusedChanges_PublishNothing()
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "keep");
        await (await c.Participant.PostMessageAsync(c.RoomId, "first", "once-only")).EnsureStatusAsync(201);
        using var recorder = app.RecordEvents();

        await (await c.Viewer.PostMessageAsync(c.RoomId, "nope")).ProblemAsync(403);
        await (await c.Outsider.PostMessageAsync(c.RoomId, "nope")).ProblemAsync(404);
        await (await c.Participant.PostMessageAsync(c.RoomId, " ")).ProblemAsync(400);
        await (await c.Participant.UploadAsync(c.RoomId, "image", "text"u8.ToArray(), "x.png")).ProblemAsync(400);
        await (await c.Creator.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = "hijack" })).ProblemAsync(403);
        await (await c.Viewer.Client.DeleteAsync($"/api/chat/messages/{id}/")).ProblemAsync(403);
        await (await c.Creator.PostJsonAsync($"/api/chat/messages/{id}/add_reaction/", new { emoji = "abc" })).ProblemAsync(400);
        await (await c.Creator.PostJsonAsync($"/api/chat/messages/{id}/remove_reaction/", new { emoji = "👍" })).EnsureStatusAsync(200);
        await (await c.Participant.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/remove_participant/", new { user_id = c.Admin.Id })).ProblemAsync(403);
        await (await c.Creator.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/add_participant/", new { user_id = c.Outsider.Id })).ProblemAsync(400);
        await (await c.Participant.Client.DeleteAsync($"/api/chat/rooms/{c.RoomId}/")).ProblemAsync(403);

        Assert.Empty(recorder.FramesFor(c.RoomId));

        // A repeated client_id changes nothing but is told again (the first broadcast may have been
        // lost with the instance that stored it): the same message, not a new one.
        await (await c.Participant.PostMessageAsync(c.RoomId, "again", "once-only")).EnsureStatusAsync(200);
        var again = Assert.Single(recorder.FramesFor(c.RoomId));
        Assert.Equal("first", (string)again["message"]!["content"]!);
    }
}
