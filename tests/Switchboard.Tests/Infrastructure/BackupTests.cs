using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Data;
using Switchboard.Infrastructure;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Features.Tickets;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// switchboard backup / restore on the embedded default (SQLite): the PostgreSQL path is pg_dump
/// and pg_restore, which the commands point to.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("switchboard-backup").FullName;

    [Fact]
    public async Task Backup_UnderLoad_RestoresIntoAFreshDataDir_WithEveryMessageTicketAndFile()
    {
        var dataDir = Path.Combine(_root, "data");
        var backup = Path.Combine(_root, "backup");
        var fresh = Path.Combine(_root, "fresh");
        var file = System.Security.Cryptography.RandomNumberGenerator.GetBytes(50_000);
        var ids = new List<int>();
        int ticketId, fileMessageId;
        string signingKey;
        using (var app = new SwitchboardApp(DatabaseProvider.Sqlite, Embedded(dataDir)))
        {
            var cast = await ChatKit.CastAsync(app);
            ticketId = (int)(await TicketKit.CreateTicketAsync(cast.Member, cast.ProjectId, "Survives a restore"))["id"]!;
            var upload = await (await cast.Creator.UploadAsync(cast.RoomId, "file", file, "kept.bin")).JsonAsync(201);
            fileMessageId = (int)upload["id"]!;

            // Clients keep sending while the backup runs.
            using var stop = new CancellationTokenSource();
            var load = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var sent = await cast.Creator.SendIdAsync(cast.RoomId, $"load {i}");
                    lock (ids)
                    {
                        ids.Add(sent);
                    }
                }
            });
            await Task.Delay(300);
            int[] acknowledgedBefore;
            lock (ids)
            {
                acknowledgedBefore = [.. ids];
            }
            var output = new StringWriter();
            Assert.Equal(0, await Cli.RunAsync(["backup", backup, $"--DataDir={dataDir}"], output));
            await Task.Delay(200);
            await stop.CancelAsync();
            await load;
            Assert.Contains("uploaded files", output.ToString(), StringComparison.Ordinal);
            Assert.NotEmpty(acknowledgedBefore);
            ids.Clear();
            ids.AddRange(acknowledgedBefore);
            signingKey = cast.Creator.Access;
        }

        var restoreOutput = new StringWriter();
        Assert.Equal(0, await Cli.RunAsync(["restore", backup, $"--DataDir={fresh}"], restoreOutput));
        // Restore never overwrites a database.
        Assert.Equal(1, await Cli.RunAsync(["restore", backup, $"--DataDir={fresh}"], new StringWriter()));

        using var restored = new SwitchboardApp(DatabaseProvider.Sqlite, Embedded(fresh));
        var client = restored.CreateClient();
        // The signing key came along, so the same access token still works.
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signingKey);
        await (await client.GetAsync($"/api/tickets/{ticketId}/")).JsonAsync(200);
        var fileMessage = await (await client.GetAsync($"/api/chat/messages/{fileMessageId}/")).JsonAsync(200);
        var download = await client.GetAsync((string)fileMessage["attachment_url"]!);
        await download.EnsureStatusAsync(200);
        Assert.Equal(file, await download.Content.ReadAsByteArrayAsync());
        var roomId = (int)fileMessage["room"]!;
        var stored = new HashSet<int>();
        string? next = $"/api/chat/messages/?room={roomId}&after=0&page_size=200";
        while (next is not null)
        {
            var page = await (await client.GetAsync(next)).JsonAsync(200);
            foreach (var m in page["results"]!.AsArray())
            {
                stored.Add((int)m!["id"]!);
            }
            next = (string?)page["next"];
        }
        Assert.All(ids, id => Assert.Contains(id, stored));
    }

    private static Dictionary<string, string?> Embedded(string dataDir) => new()
    {
        ["DataDir"] = dataDir,
        ["ConnectionStrings:Database"] = null,
    };

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
