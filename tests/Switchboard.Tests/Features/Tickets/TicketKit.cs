using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Tickets;

/// <summary>A project with one user in every role, and one outside it.</summary>
public sealed record Cast(TestUser Owner, TestUser Admin, TestUser Member, TestUser Viewer, TestUser Outsider, int ProjectId, string Key)
{
    public TestUser As(string role) => role switch
    {
        "owner" => Owner,
        "admin" => Admin,
        "member" => Member,
        "viewer" => Viewer,
        _ => Outsider,
    };
}

public static class TicketKit
{
    public static async Task<Cast> CastAsync(this SwitchboardApp app)
    {
        var owner = await app.CreateUserAsync("owner");
        var admin = await app.CreateUserAsync("admin");
        var member = await app.CreateUserAsync("member");
        var viewer = await app.CreateUserAsync("viewer");
        var outsider = await app.CreateUserAsync("outsider");
        var id = await app.CreateProjectAsync(owner, (admin, "admin"), (member, "member"), (viewer, "viewer"));
        var project = await (await owner.Client.GetAsync($"/api/projects/{id}/")).JsonAsync(200);
        return new Cast(owner, admin, member, viewer, outsider, id, (string)project["key"]!);
    }

    public static async Task<JsonObject> CreateTicketAsync(this TestUser user, int project, string title = "A ticket", JsonObject? extra = null)
    {
        var body = new JsonObject { ["project"] = project, ["title"] = title };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }
        return await (await user.Client.PostAsJsonAsync("/api/tickets/", body)).JsonAsync(201);
    }

    public static async Task<JsonObject> PatchTicketAsync(this TestUser user, int id, JsonObject body) =>
        await (await user.Client.PatchAsJsonAsync($"/api/tickets/{id}/", body)).JsonAsync(200);

    public static async Task<List<JsonObject>> ListAsync(this TestUser user, string query)
    {
        var page = await (await user.Client.GetAsync("/api/tickets/?" + query)).JsonAsync(200);
        return page["results"]!.AsArray().Select(t => t!.AsObject()).ToList();
    }

    public static List<string> Titles(this List<JsonObject> tickets) => tickets.Select(t => (string)t["title"]!).ToList();

    /// <summary>A multipart body written by hand, so file names can carry anything a hostile client sends.</summary>
    public static HttpContent Multipart(byte[] content, string fileName = "file.bin", string field = "file", bool encodedName = false)
    {
        var boundary = "sbtest" + Guid.NewGuid().ToString("N");
        var name = encodedName ? $"filename*=UTF-8''{fileName}" : $"filename=\"{fileName}\"";
        var head = Encoding.UTF8.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; {name}\r\nContent-Type: application/octet-stream\r\n\r\n");
        var tail = Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        var body = new ByteArrayContent([.. head, .. content, .. tail]);
        body.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return body;
    }

    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
}

/// <summary>The app with a command counter on its DbContext (tests only) and a small upload limit.</summary>
public class TicketsApp(DatabaseProvider provider) : SwitchboardApp(provider, new Dictionary<string, string?> { ["Uploads:MaxBytes"] = "65536" })
{
    public CommandCounter Commands { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddCommandCounter(Commands));
    }
}

public sealed class SqliteTicketsApp() : TicketsApp(DatabaseProvider.Sqlite);

public sealed class PostgresTicketsApp() : TicketsApp(DatabaseProvider.Postgres);
