using Platform.Orders.Apis;
using Platform.Orders.Extensions;
using Platform.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrdersServices();

var app = builder.Build();

app.UseOrdersPipeline();
app.MapDefaultEndpoints();
app.MapOrdersApi();

app.Run();

public partial class Program;
