using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Switchboard.Features.Chat;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Projects;
using Switchboard.Features.Tickets;

namespace Switchboard.Infrastructure.OpenApi;

// What the schemas of responses cannot say by themselves: timestamps are written by our own
// converter (so the generator leaves out their type), and the wire names of our enums travel as
// plain strings. A client generator needs both to produce string and union types.
public static class SchemaTypes
{
    private static readonly Dictionary<(Type, string), string[]> Choices = new()
    {
        [(typeof(TicketDto), "status")] = Wire<TicketStatus>(v => v.ToWire()),
        [(typeof(TicketDto), "priority")] = Wire<TicketPriority>(v => v.ToWire()),
        [(typeof(TicketDto), "type")] = Wire<TicketType>(v => v.ToWire()),
        [(typeof(ProjectDto), "my_role")] = Wire<ProjectRole>(v => v.ToWire()),
        [(typeof(MemberDto), "role")] = Wire<ProjectRole>(v => v.ToWire()),
        [(typeof(RoomDto), "type")] = Wire<RoomType>(v => v.ToWire()),
        [(typeof(MessageDto), "type")] = Wire<MessageType>(v => v.ToWire()),
    };

    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var property = context.JsonPropertyInfo;
        var type = property?.PropertyType ?? context.JsonTypeInfo.Type;
        if (type == typeof(DateTime) || type == typeof(DateTime?))
        {
            schema.Type = type == typeof(DateTime?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "date-time";
        }
        if (property?.DeclaringType is { } owner && Choices.TryGetValue((owner, property.Name), out var values))
        {
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        }
        return Task.CompletedTask;
    }

    private static string[] Wire<T>(Func<T, string> toWire) where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(toWire).Distinct()];
}
