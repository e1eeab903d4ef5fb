using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Identity.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatchUpKeysetIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_RevokedAt",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_DeactivatedAt",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_RevokedAt_Id",
                table: "Sessions",
                columns: new[] { "RevokedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_DeactivatedAt_Id",
                table: "AspNetUsers",
                columns: new[] { "DeactivatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_RevokedAt_Id",
                table: "Sessions");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_DeactivatedAt_Id",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_RevokedAt",
                table: "Sessions",
                column: "RevokedAt");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_DeactivatedAt",
                table: "AspNetUsers",
                column: "DeactivatedAt");
        }
    }
}
