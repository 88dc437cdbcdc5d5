using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Features.Chat;
using Switchboard.Features.Chat.Messages;
using Switchboard.Tests.Features.Chat;

namespace Switchboard.Tests.Infrastructure;

public sealed class GroupCommitTestsOnSqlite(SqliteApp app) : GroupCommitTests(app), IClassFixture<SqliteApp>;

public sealed class GroupCommitTestsOnPostgres(PostgresApp app) : GroupCommitTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// Sends that arrive together on SQLite share one transaction (Data/GroupCommit.cs): each runs its
/// whole stage (message, mentions, thread summary, following, notifications) in a savepoint, a
/// refused one is undone alone, and nothing is acknowledged before the commit. On PostgreSQL the
/// same sends commit one by one; the tests hold for both.
/// </summary>
public abstract class GroupCommitTests(SwitchboardApp app)
{
    private GroupCommit Writer => app.Services.GetRequiredService<GroupCommit>();

    [Fact]
    public async Task SendsQueuedTogether_ShareOneCommit_EachWithItsMentionsThreadSummaryAndNotifications()
    {
        var c = await app.CastAsync();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        var commitsBefore = Writer.Commits;
        var sendsBefore = Writer.Sends;
        await using var hold = await HoldWriterAsync();

        var replies = Enumerable.Range(0, 10).Select(i => c.Participant.PostJsonAsync("/api/chat/messages/",
            new { room = c.RoomId, content = $"@{c.Admin.Username} reply {i}", thread_root_id = root })).ToList();
        var mentions = Enumerable.Range(0, 10).Select(i => c.Admin.PostMessageAsync(c.RoomId, $"@{c.Participant.Username} look {i}")).ToList();
        var repeated = Enumerable.Range(0, 3).Select(_ => c.Creator.PostMessageAsync(c.RoomId, "once", clientId: "gc-once")).ToList();
        await hold.ReleaseWhenQueuedAsync(23);

        var replyIds = new List<int>();
        foreach (var r in await Task.WhenAll(replies))
        {
            replyIds.Add((int)(await r.JsonAsync(201))["id"]!);
        }
        var mentionMessages = new List<JsonObject>();
        foreach (var r in await Task.WhenAll(mentions))
        {
            mentionMessages.Add(await r.JsonAsync(201));
        }
        var repeatedResponses = await Task.WhenAll(repeated);
        Assert.Single(repeatedResponses, r => (int)r.StatusCode == 201);
        Assert.All(repeatedResponses, r => Assert.Contains((int)r.StatusCode, new[] { 200, 201 }));
        var onceIds = new List<int>();
        foreach (var r in repeatedResponses)
        {
            onceIds.Add((int)(await r.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        }
        Assert.Single(onceIds.Distinct());

        if (app.Provider == DatabaseProvider.Sqlite)
        {
            // The held transaction, then one for the 21 sends and the two refused repeats.
            Assert.Equal(2, Writer.Commits - commitsBefore);
            Assert.Equal(22, Writer.Sends - sendsBefore);
        }
        else
        {
            Assert.Equal(0, Writer.Commits - commitsBefore);
        }

        // Each stored once, with what it caused.
        var page = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&page_size=100")).JsonAsync(200);
        Assert.Equal(12, (int)page["count"]!);
        Assert.All(mentionMessages, m => Assert.Equal([c.Participant.Id], m["mentions"]!["user_ids"]!.AsArray().Select(i => (int)i!)));
        var summary = await (await c.Viewer.Client.GetAsync($"/api/chat/messages/{root}/")).JsonAsync(200);
        Assert.Equal(10, (int)summary["reply_count"]!);
        Assert.Equal([c.Participant.Id], summary["thread_participants"]!.AsArray().Select(u => (int)u!["id"]!).ToArray());
        Assert.True((bool)(await (await c.Admin.Client.GetAsync($"/api/chat/messages/{root}/")).JsonAsync(200))["is_following"]!);

        var admin = await NotificationsAsync(c.Admin);
        Assert.Equal(replyIds.Order(), admin.Where(n => n.Type == "mention").Select(n => n.MessageId).Order());
        var participant = await NotificationsAsync(c.Participant);
        Assert.Equal(mentionMessages.Select(m => (int)m["id"]!).Order(),
            participant.Where(n => n.Type == "mention").Select(n => n.MessageId).Order());
        var creator = await NotificationsAsync(c.Creator);
        Assert.Equal(replyIds.Order(), creator.Where(n => n.Type == "thread_reply").Select(n => n.MessageId).Order());
        // One notification per person and message: the mentioned follower is not told twice.
        Assert.Equal([10, 10, 10], new[] { admin.Count, participant.Count, creator.Count });
    }

    [Fact]
    public async Task ARefusedStage_IsUndoneAlone_ItsCallerGetsItsException_AndTheOthersCommit()
    {
        var c = await app.CastAsync();
        ChatMessage Message(string content) => new()
        {
            RoomId = c.RoomId,
            UserId = c.Participant.Id,
            Content = content,
            Type = MessageType.Text,
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        var commitsBefore = Writer.Commits;
        var first = Message("first");
        var refused = Message("refused");
        var last = Message("last");
        var scopes = Enumerable.Range(0, 3).Select(_ => app.Services.CreateAsyncScope()).ToList();
        AppDbContext Db(int i) => scopes[i].ServiceProvider.GetRequiredService<AppDbContext>();

        Task<Exception?> saving;
        List<Task> saved;
        await using (var hold = await HoldWriterAsync())
        {
            var a = Writer.RunAsync(Db(0), async (tx, ct) =>
            {
                tx.Add(first);
                await tx.SaveChangesAsync(ct);
            }, CancellationToken.None);
            // Written, then refused: its row and its tracked entities must go, the others' stay.
            saving = Record(Writer.RunAsync(Db(1), async (tx, ct) =>
            {
                tx.Add(refused);
                await tx.SaveChangesAsync(ct);
                tx.Add(Message("tracked, never saved"));
                throw new InvalidOperationException("refused on purpose");
            }, CancellationToken.None));
            var b = Writer.RunAsync(Db(2), async (tx, ct) =>
            {
                tx.Add(last);
                await tx.SaveChangesAsync(ct);
            }, CancellationToken.None);
            saved = [a, b];
            await hold.ReleaseWhenQueuedAsync(3);
        }
        await Task.WhenAll(saved);
        Assert.Equal("refused on purpose", Assert.IsType<InvalidOperationException>(await saving).Message);

        // Completed means committed: a new context (a new connection) reads them.
        await using var reader = app.Services.CreateAsyncScope();
        var stored = await reader.ServiceProvider.GetRequiredService<AppDbContext>().Set<ChatMessage>().AsNoTracking()
            .Where(m => m.RoomId == c.RoomId).Select(m => m.Content).OrderBy(x => x).ToListAsync();
        Assert.Equal(["first", "last"], stored);
        if (app.Provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal(2, Writer.Commits - commitsBefore);
        }
        foreach (var s in scopes)
        {
            await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASend_IsCommittedBeforeItsRoomOrItsSenderHearsOfIt()
    {
        var c = await app.CastAsync();
        using var recorder = app.RecordEvents();
        var seenCommitted = new List<bool>();
        recorder.OnEvent = e =>
        {
            if (e.RoomId == c.RoomId && e.Frame is MessageNewFrame frame)
            {
                using var scope = app.Services.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                lock (seenCommitted)
                {
                    seenCommitted.Add(db.Set<ChatMessage>().Any(m => m.Id == frame.Message.Id));
                }
            }
        };
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => c.Participant.PostMessageAsync(c.RoomId, $"ack {i}")));
        foreach (var r in responses)
        {
            var id = (int)(await r.JsonAsync(201))["id"]!;
            await using var scope = app.Services.CreateAsyncScope();
            Assert.True(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<ChatMessage>().AnyAsync(m => m.Id == id));
        }
        Assert.Equal(Enumerable.Repeat(true, 12), seenCommitted);
    }

    private sealed record NotificationRow(string Type, int MessageId);

    private static async Task<List<NotificationRow>> NotificationsAsync(TestUser user)
    {
        var list = (await (await user.Client.GetAsync("/api/notifications/?page_size=100")).JsonAsync(200))["results"]!.AsArray();
        return list.Select(n => new NotificationRow((string)n!["type"]!, (int?)n["message"] ?? 0)).ToList();
    }

    private static async Task<Exception?> Record(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>
    /// On SQLite, keeps the writer inside a transaction of its own until released, so that what is
    /// sent meanwhile queues for the next one. On PostgreSQL there is no writer to hold.
    /// </summary>
    private async Task<Hold> HoldWriterAsync()
    {
        var hold = new Hold(Writer, app.Provider == DatabaseProvider.Sqlite);
        if (hold.Active)
        {
            var scope = app.Services.CreateAsyncScope();
            hold.Running = Writer.RunAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), async (_, _) =>
            {
                hold.Entered.TrySetResult();
                await hold.Release.Task;
            }, CancellationToken.None).ContinueWith(_ => scope.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
            await hold.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        return hold;
    }

    private sealed class Hold(GroupCommit writer, bool active) : IAsyncDisposable
    {
        public bool Active { get; } = active;
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Running { get; set; } = Task.CompletedTask;

        /// <summary>Lets the writer go once <paramref name="count"/> sends wait behind it (they are in one batch then).</summary>
        public async Task ReleaseWhenQueuedAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Active && writer.Queued < count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
            Assert.True(!Active || writer.Queued >= count, $"{writer.Queued} of {count} sends queued");
            await DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            Release.TrySetResult();
            await Running;
        }
    }
}
