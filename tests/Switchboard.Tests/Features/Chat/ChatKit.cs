using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Realtime;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Chat;

/// <summary>A project with one user of every role, and a group room made by <see cref="Creator"/>.</summary>
internal sealed record ChatCast(
    TestUser Owner, TestUser Admin, TestUser Creator, TestUser Participant, TestUser Member, TestUser Viewer, TestUser Outsider,
    int ProjectId, int RoomId)
{
    /// <summary>The person a theory row names ("owner", "viewer", ...); anything else is the outsider.</summary>
    public TestUser As(string who) => who switch
    {
        "owner" => Owner,
        "admin" => Admin,
        "creator" => Creator,
        "participant" => Participant,
        "member" => Member,
        "viewer" => Viewer,
        _ => Outsider,
    };
}

internal static class ChatKit
{
    public static async Task<ChatCast> CastAsync(this SwitchboardApp app, bool viewerInRoom = true)
    {
        var owner = await app.CreateUserAsync("owner");
        var admin = await app.CreateUserAsync("admin");
        var creator = await app.CreateUserAsync("creator");
        var participant = await app.CreateUserAsync("participant", firstName: "Pat");
        var member = await app.CreateUserAsync("member");
        var viewer = await app.CreateUserAsync("viewer");
        var outsider = await app.CreateUserAsync("outsider");
        var project = await app.CreateProjectAsync(owner, (admin, "admin"), (creator, "member"), (participant, "member"),
            (member, "member"), (viewer, "viewer"));
        int[] ids = viewerInRoom ? [participant.Id, admin.Id, viewer.Id] : [participant.Id, admin.Id];
        var room = await CreateRoomAsync(creator, project, "Team", ids);
        return new ChatCast(owner, admin, creator, participant, member, viewer, outsider, project, room);
    }

    public static async Task<int> CreateRoomAsync(TestUser creator, int project, string name, params int[] participants)
    {
        var response = await creator.Client.PostAsJsonAsync("/api/chat/rooms/",
            new { name, type = "group", project, participant_ids = participants });
        return (int)(await response.JsonAsync(201))["id"]!;
    }

    public static Task<HttpResponseMessage> PostMessageAsync(this TestUser user, int room, string content, string? clientId = null) =>
        user.Client.PostAsJsonAsync("/api/chat/messages/", new { room, content, type = "text", client_id = clientId });

    public static async Task<JsonObject> SendAsync(this TestUser user, int room, string content) =>
        await (await user.PostMessageAsync(room, content)).JsonAsync(201);

    public static async Task<int> SendIdAsync(this TestUser user, int room, string content) =>
        (int)(await user.SendAsync(room, content))["id"]!;

    public static Task<HttpResponseMessage> UploadAsync(this TestUser user, int room, string type, byte[] bytes, string fileName,
        string content = "", string? clientId = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(room.ToString(System.Globalization.CultureInfo.InvariantCulture)), "room" },
            { new StringContent(content), "content" },
            { new StringContent(type), "type" },
        };
        if (clientId is not null)
        {
            form.Add(new StringContent(clientId), "client_id");
        }
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // filename* (RFC 5987) carries any name, control characters included, as a hostile client could.
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"attachment\"", FileNameStar = fileName };
        form.Add(file);
        return user.Client.PostAsync("/api/chat/messages/", form);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this TestUser user, string url, object body) =>
        user.Client.PostAsJsonAsync(url, body);

    /// <summary>A real 2×2 PNG.</summary>
    public static byte[] Png { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEUlEQVR4nGP4z8DwH4QZYAwAR8oH+WdZbrcAAAAASUVORK5CYII=");

    /// <summary>A real 800×600 PNG, big enough to be scaled down for its thumbnail.</summary>
    public static byte[] LargePng()
    {
        using var bitmap = new SkiaSharp.SKBitmap(800, 600);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            canvas.Clear(SkiaSharp.SKColors.CornflowerBlue);
        }
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Records every room event published while it is alive.</summary>
    public static EventRecorder RecordEvents(this SwitchboardApp app) => new(app.Services.GetRequiredService<IRoomEvents>());
}

internal sealed class EventRecorder : IDisposable
{
    private readonly IDisposable _subscription;

    public EventRecorder(IRoomEvents events) =>
        _subscription = events.Subscribe(e =>
        {
            Events.Enqueue(e);
            OnEvent?.Invoke(e);
            return ValueTask.CompletedTask;
        });

    public ConcurrentQueue<RoomEvent> Events { get; } = new();

    /// <summary>Runs inside the publish call, to look at the database at that moment.</summary>
    public Action<RoomEvent>? OnEvent { get; set; }

    public List<JsonObject> FramesFor(int roomId) =>
        Events.Where(e => e.RoomId == roomId)
            .Select(e => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(e.Frame, e.Frame.GetType(), Switchboard.Infrastructure.Json.Options))!.AsObject())
            .ToList();

    public void Dispose() => _subscription.Dispose();
}
