// A bare ASP.NET Core WebSocket broadcast that speaks just enough of Switchboard's contract for the
// neutral load generator to drive it (register, token, me, projects, members, rooms, the room
// socket's ping and message_send): everything in memory, tokens are the user's id, nothing is
// stored. What it costs per delivery is the floor under our own fan-out (bench/README.md).
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
var app = builder.Build();
app.UseWebSockets();

var state = new FloorState();
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

int? Caller(HttpContext http)
{
    var header = http.Request.Headers.Authorization.ToString();
    var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : http.Request.Query["token"].ToString();
    return int.TryParse(token, out var id) && state.Users.ContainsKey(id) ? id : null;
}

app.MapPost("/api/auth/register/", (Credentials body) =>
{
    var id = state.Users.Count + 1;
    if (!state.UserIds.TryAdd(body.Username, id))
    {
        return Results.Conflict(new { detail = "exists" });
    }
    state.Users[id] = body.Username;
    return Results.Json(new { id, username = body.Username }, json, statusCode: 201);
});
app.MapPost("/api/auth/token/", (Credentials body) =>
    state.UserIds.TryGetValue(body.Username, out var id)
        ? Results.Json(new { access = id.ToString(), refresh = id.ToString() }, json)
        : Results.Unauthorized());
app.MapGet("/api/auth/me/", (HttpContext http) =>
    Caller(http) is { } id ? Results.Json(new { id, username = state.Users[id] }, json) : Results.Unauthorized());
app.MapPost("/api/projects/", (HttpContext http) =>
    Caller(http) is null ? Results.Unauthorized() : Results.Json(new { id = Interlocked.Increment(ref state.NextProject) }, json, statusCode: 201));
app.MapPost("/api/projects/{id:int}/members/", (HttpContext http) =>
    Caller(http) is null ? Results.Unauthorized() : Results.Json(new { }, json, statusCode: 201));
app.MapPost("/api/chat/rooms/", (HttpContext http, RoomBody body) =>
{
    if (Caller(http) is not { } creator)
    {
        return Results.Unauthorized();
    }
    var id = Interlocked.Increment(ref state.NextRoom);
    state.Rooms[id] = new Room([creator, .. body.ParticipantIds]);
    return Results.Json(new { id }, json, statusCode: 201);
});

app.Map("/ws/chat/{room:int}/", async (HttpContext http, int room) =>
{
    if (!http.WebSockets.IsWebSocketRequest || Caller(http) is not { } userId || !state.Rooms.TryGetValue(room, out var target)
        || !target.Participants.Contains(userId))
    {
        http.Response.StatusCode = 404;
        return;
    }
    using var socket = await http.WebSockets.AcceptWebSocketAsync();
    var connection = new Connection(socket);
    target.Connections[connection] = 0;
    var writer = connection.WriteLoopAsync();
    try
    {
        await ReadLoopAsync(connection, userId, room, target);
    }
    finally
    {
        target.Connections.TryRemove(connection, out _);
        connection.Outbox.Writer.TryComplete();
        await writer;
    }
});

app.Run();

async Task ReadLoopAsync(Connection connection, int userId, int roomId, Room room)
{
    var buffer = new byte[64 * 1024];
    while (true)
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await connection.Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            length += result.Count;
        }
        while (!result.EndOfMessage && length < buffer.Length);

        using var frame = JsonDocument.Parse(buffer.AsMemory(0, length));
        var type = frame.RootElement.GetProperty("type").GetString();
        if (type == "ping")
        {
            connection.Outbox.Writer.TryWrite("{\"type\":\"pong\"}"u8.ToArray());
        }
        else if (type == "message_send")
        {
            // Serialized once per message, as Switchboard does, then the same bytes to every socket.
            var message = new
            {
                type = "message_new",
                message = new
                {
                    id = Interlocked.Increment(ref state.NextMessage),
                    room = roomId,
                    user = new { id = userId, username = state.Users[userId] },
                    content = frame.RootElement.GetProperty("content").GetString(),
                    type = "text",
                    client_id = frame.RootElement.TryGetProperty("client_id", out var c) ? c.GetString() : null,
                    created_at = DateTime.UtcNow,
                },
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(message, json);
            foreach (var other in room.Connections.Keys)
            {
                other.Outbox.Writer.TryWrite(bytes);
            }
        }
    }
}

sealed class FloorState
{
    public readonly ConcurrentDictionary<int, string> Users = new();
    public readonly ConcurrentDictionary<string, int> UserIds = new();
    public readonly ConcurrentDictionary<int, Room> Rooms = new();
    public int NextProject;
    public int NextRoom;
    public long NextMessage;
}

sealed record Room(HashSet<int> Participants)
{
    public readonly ConcurrentDictionary<Connection, byte> Connections = new();
}

sealed class Connection(WebSocket socket)
{
    public WebSocket Socket { get; } = socket;
    public Channel<byte[]> Outbox { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(512)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    public async Task WriteLoopAsync()
    {
        await foreach (var bytes in Outbox.Reader.ReadAllAsync())
        {
            if (Socket.State != WebSocketState.Open)
            {
                continue;
            }
            try
            {
                await Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                return;
            }
        }
    }
}

sealed record Credentials(string Username, string? Password);

sealed record RoomBody(int[] ParticipantIds);
