using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionSecurityStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "Sessions",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Sessions open at the upgrade are bound to their user's stamp of that moment, so nobody is signed out by it.
            migrationBuilder.Sql("""
                UPDATE "Sessions" AS s SET "SecurityStamp" = COALESCE(u."SecurityStamp", '')
                FROM "AspNetUsers" AS u WHERE u."Id" = s."UserId"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "Sessions");
        }
    }
}
