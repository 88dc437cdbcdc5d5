using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;

namespace Switchboard.Tests.Features.TicketsInChat;

/// <summary>
/// Makes the next SQL command whose text contains <see cref="FailOn"/> throw, as if the server died
/// at that point of a transaction (the database rolls the open transaction back).
/// </summary>
public sealed class FaultInjector : DbCommandInterceptor
{
    public volatile string? FailOn;

    private void Check(DbCommand command)
    {
        var fail = FailOn;
        if (fail is not null && command.CommandText.Contains(fail, StringComparison.Ordinal))
        {
            FailOn = null;
            throw new InvalidOperationException("Injected crash in the middle of a transaction.");
        }
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }
}

/// <summary>The server on a real port with user-socket timings, a fault injector and a command counter.</summary>
public class TicketsInChatApp(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    : KestrelApp(provider, settings ?? new Dictionary<string, string?>())
{
    // Field initializers run before the base constructor starts the server.
    public FaultInjector Faults { get; } = new();
    public CommandCounter Commands { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddCommandCounter(Commands);
            services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(Faults));
            services.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(Faults));
        });
    }
}

public sealed class SqliteTicketsInChatApp() : TicketsInChatApp(DatabaseProvider.Sqlite);

public sealed class PostgresTicketsInChatApp() : TicketsInChatApp(DatabaseProvider.Postgres);

internal static class TicketsInChatKit
{
    public static async Task<string> ProjectKeyAsync(this TestUser user, int project) =>
        (string)(await (await user.Client.GetAsync($"/api/projects/{project}/")).JsonAsync(200))["key"]!;

    public static async Task<JsonObject> TicketAsync(this TestUser user, int project, string title, object? extra = null)
    {
        var body = new JsonObject { ["project"] = project, ["title"] = title };
        if (extra is not null)
        {
            foreach (var (k, v) in JsonSerializerNode(extra))
            {
                body[k] = v?.DeepClone();
            }
        }
        return await (await user.Client.PostAsJsonAsync("/api/tickets/", body)).JsonAsync(201);
    }

    private static JsonObject JsonSerializerNode(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();

    public static async Task<JsonObject> ReplyAsync(this TestUser user, int room, int root, string content) =>
        await (await user.Client.PostAsJsonAsync("/api/chat/messages/", new { room, content, type = "text", thread_root_id = root })).JsonAsync(201);

    public static async Task<JsonObject> MessageAsync(this TestUser user, int id) =>
        await (await user.Client.GetAsync($"/api/chat/messages/{id}/")).JsonAsync(200);

    public static async Task<List<JsonObject>> ThreadAsync(this TestUser user, int root) =>
        (await (await user.Client.GetAsync($"/api/chat/messages/?thread={root}&page_size=200")).JsonAsync(200))["results"]!.AsArray()
            .Select(m => m!.AsObject()).ToList();

    public static async Task<List<JsonObject>> TimelineAsync(this TestUser user, int room) =>
        (await (await user.Client.GetAsync($"/api/chat/messages/?room={room}&page_size=200")).JsonAsync(200))["results"]!.AsArray()
            .Select(m => m!.AsObject()).ToList();

    public static async Task<List<JsonObject>> CommentsAsync(this TestUser user, int ticket) =>
        (await (await user.Client.GetAsync($"/api/tickets/{ticket}/comments/?page_size=200")).JsonAsync(200))["results"]!.AsArray()
            .Select(m => m!.AsObject()).ToList();

    public static List<string> Keys(this JsonObject message) =>
        message["tickets"]!.AsArray().Select(t => (string)t!["key"]!).ToList();

    /// <summary>Waits until <paramref name="check"/> holds (for work that finishes after a response, such as frames).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> check, string what)
    {
        var deadline = DateTime.UtcNow + SocketTestKit.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await check())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}.");
    }

    public static Task<ChatCast> SceneAsync(this SwitchboardApp app) => app.CastAsync();
}
