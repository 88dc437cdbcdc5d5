using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Tests.Features.Chat;

namespace Switchboard.Tests.Infrastructure;

public sealed class GroupCommitTestsOnSqlite(SqliteApp app) : GroupCommitTests(app), IClassFixture<SqliteApp>;

public sealed class GroupCommitTestsOnPostgres(PostgresApp app) : GroupCommitTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// Sends that arrive together on SQLite share one commit (Data/GroupCommit.cs); each is still
/// saved, refused or deduplicated on its own, and acknowledged only once committed.
/// </summary>
public abstract class GroupCommitTests(SwitchboardApp app)
{
    [Fact]
    public async Task ConcurrentSends_AreEachStoredOnce_AndARepeatedClientIdGetsTheFirstMessage()
    {
        var c = await app.CastAsync();
        var sends = Enumerable.Range(0, 30)
            .Select(i => c.Participant.PostMessageAsync(c.RoomId, $"burst {i}", clientId: $"burst-{i}"))
            .Concat(Enumerable.Range(0, 3).Select(_ => c.Admin.PostMessageAsync(c.RoomId, "same", clientId: "same-id")))
            .ToList();
        var responses = await Task.WhenAll(sends);

        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((int)(await responses[i].JsonAsync(201))["id"]!);
        }
        Assert.Equal(30, ids.Distinct().Count());
        var repeated = new List<int>();
        foreach (var response in responses[30..])
        {
            Assert.Contains((int)response.StatusCode, new[] { 200, 201 });
            repeated.Add((int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        }
        Assert.Single(repeated.Distinct());
        Assert.Single(responses[30..], r => (int)r.StatusCode == 201);

        // Acknowledged means committed: a new reader sees every one of them.
        var page = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&page_size=100")).JsonAsync(200);
        Assert.Equal(31, (int)page["count"]!);
        Assert.Equal(ids.Append(repeated[0]).Order().ToArray(),
            page["results"]!.AsArray().Select(m => (int)m!["id"]!).Order().ToArray());
    }

    [Fact]
    public async Task WritesQueuedWhileOneCommits_ShareTheNextCommit_OnSqliteOnly()
    {
        var c = await app.CastAsync();
        var writer = app.Services.GetRequiredService<GroupCommit>();
        var commitsBefore = writer.Commits;
        var writesBefore = writer.Writes;
        using var staging = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        ChatMessage Message(string content, string? clientId = null) => new()
        {
            RoomId = c.RoomId,
            UserId = c.Participant.Id,
            Content = content,
            Type = MessageType.Text,
            ClientId = clientId,
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };

        var first = Message("first", "dup");
        var firstSaved = Task.Run(() => writer.SaveAsync(db, d =>
        {
            staging.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            d.Add(first);
        }));
        if (app.Provider == DatabaseProvider.Sqlite)
        {
            // The writer is inside its first transaction: everything below queues behind it.
            Assert.True(staging.Wait(TimeSpan.FromSeconds(30)));
        }
        else
        {
            release.Set();
            await firstSaved;
        }

        // Each write comes from its own request scope, as sends do.
        var scopes = Enumerable.Range(0, 21).Select(_ => app.Services.CreateAsyncScope()).ToList();
        var queued = new List<(ChatMessage Message, Task Saved)>();
        for (var i = 0; i < 20; i++)
        {
            var m = Message($"queued {i}");
            queued.Add((m, writer.SaveAsync(scopes[i].ServiceProvider.GetRequiredService<AppDbContext>(), d => d.Add(m))));
        }
        var duplicate = writer.SaveAsync(scopes[20].ServiceProvider.GetRequiredService<AppDbContext>(), d => d.Add(Message("again", "dup")));
        release.Set();

        await firstSaved;
        await Task.WhenAll(queued.Select(q => q.Saved));
        // The unique index refuses the repeated client id; only that write is undone.
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => duplicate);
        foreach (var s in scopes)
        {
            await s.DisposeAsync();
        }
        Assert.All(queued, q => Assert.True(q.Message.Id > 0));

        var stored = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&page_size=100")).JsonAsync(200);
        Assert.Equal(21, (int)stored["count"]!);
        if (app.Provider == DatabaseProvider.Sqlite)
        {
            // The first write's transaction, then one for the 20 queued writes and the refused one.
            Assert.Equal(2, writer.Commits - commitsBefore);
            Assert.Equal(21, writer.Writes - writesBefore);
        }
        else
        {
            // PostgreSQL folds concurrent commits by itself: every write commits on its caller's context.
            Assert.Equal(0, writer.Commits - commitsBefore);
        }
    }

    [Fact]
    public async Task ARefusedWrite_IsReportedOnlyOnceTheWriteThatWonIsCommitted()
    {
        var c = await app.CastAsync();
        var writer = app.Services.GetRequiredService<GroupCommit>();
        using var release = new ManualResetEventSlim();
        using var staging = new ManualResetEventSlim();
        var clientId = "race-" + Guid.NewGuid().ToString("N")[..8];
        ChatMessage Message(string content) => new()
        {
            RoomId = c.RoomId,
            UserId = c.Participant.Id,
            Content = content,
            Type = MessageType.Text,
            ClientId = content == "blocker" ? null : clientId,
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        var scopes = Enumerable.Range(0, 3).Select(_ => app.Services.CreateAsyncScope()).ToList();
        AppDbContext Db(int i) => scopes[i].ServiceProvider.GetRequiredService<AppDbContext>();

        // On SQLite the writer is held in a first transaction, so the two rivals share the next one.
        var blocker = Task.Run(() => writer.SaveAsync(Db(0), d =>
        {
            staging.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            d.Add(Message("blocker"));
        }));
        if (app.Provider == DatabaseProvider.Sqlite)
        {
            Assert.True(staging.Wait(TimeSpan.FromSeconds(30)));
        }
        else
        {
            release.Set();
            await blocker;
        }
        var winner = writer.SaveAsync(Db(1), d => d.Add(Message("winner")));
        if (app.Provider == DatabaseProvider.Postgres)
        {
            // No shared writer: each save commits on its own connection, so the order is the callers'.
            await winner;
        }
        var loser = writer.SaveAsync(Db(2), d => d.Add(Message("loser")));
        // What the refused caller does next: look for the message that won.
        var seenByLoser = loser.ContinueWith(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<ChatMessage>()
                .Where(m => m.UserId == c.Participant.Id && m.ClientId == clientId).Select(m => m.Content).ToListAsync();
        }, TaskScheduler.Default).Unwrap();
        release.Set();

        await blocker;
        await winner;
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => loser);
        Assert.Equal(["winner"], await seenByLoser);
        foreach (var s in scopes)
        {
            await s.DisposeAsync();
        }
    }
}
