"""Built-in reference lists that give the generated data a realistic, consistent shape.

Some names hold non-ASCII letters, commas or double quotes on purpose, so that every consumer of
the files has to honour UTF-8 and RFC 4180 quoting.
"""

from typing import NamedTuple

FIRST_NAMES: tuple[str, ...] = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
    "David", "Elizabeth", "William", "Susan", "Maria", "Wei", "Aisha", "Mohammed",
    "José", "Zoë", "Renée", "Björn", "Chloé", "François", 'Robert "Bob"', "Siobhán",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis",
    "Rodríguez", "Martinez", "Hernández", "Lopez", "Wilson", "Anderson", "Nguyen", "Kim",
    "Patel", "O'Brien", "Müller", "Åström", "King, Jr.", "Taylor", "Thomas", "Moore",
)  # fmt: skip

EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "mail.example.org", "shop.example.net")


class City(NamedTuple):
    """A US city with its state and sales region."""

    name: str
    state: str
    region: str


CITIES: tuple[City, ...] = (
    City("New York", "NY", "Northeast"),
    City("Boston", "MA", "Northeast"),
    City("Philadelphia", "PA", "Northeast"),
    City("Pittsburgh", "PA", "Northeast"),
    City("Atlanta", "GA", "Southeast"),
    City("Miami", "FL", "Southeast"),
    City("Charlotte", "NC", "Southeast"),
    City("Nashville", "TN", "Southeast"),
    City("Chicago", "IL", "Midwest"),
    City("Detroit", "MI", "Midwest"),
    City("Minneapolis", "MN", "Midwest"),
    City("Columbus", "OH", "Midwest"),
    City("Phoenix", "AZ", "Southwest"),
    City("Dallas", "TX", "Southwest"),
    City("Houston", "TX", "Southwest"),
    City("Albuquerque", "NM", "Southwest"),
    City("Denver", "CO", "West"),
    City("Seattle", "WA", "West"),
    City("San Francisco", "CA", "West"),
    City("Los Angeles", "CA", "West"),
    City("Portland", "OR", "West"),
)

COUNTRY = "USA"


class Subcategory(NamedTuple):
    """A product subcategory: its category, the items it sells and their list-price range in USD."""

    name: str
    category: str
    items: tuple[str, ...]
    min_price: float
    max_price: float


SUBCATEGORIES: tuple[Subcategory, ...] = (
    Subcategory("Phones", "Electronics", ("Smartphone", "Phone Case", "Charger"), 9.0, 999.0),
    Subcategory("Audio", "Electronics", ("Headphones", "Earbuds", "Speaker"), 19.0, 399.0),
    Subcategory(
        "Computers", "Electronics", ("Laptop", "Keyboard", "Mouse", "Monitor"), 14.0, 1999.0
    ),
    Subcategory("Kitchen", "Home", ("Blender", "Knife Set", "Coffee Maker"), 15.0, 249.0),
    Subcategory("Furniture", "Home", ("Desk Chair", "Bookshelf", "Side Table"), 49.0, 599.0),
    Subcategory("Decor", "Home", ("Lamp", "Rug", "Wall Clock"), 9.0, 199.0),
    Subcategory("Men", "Apparel", ("T-Shirt", "Jeans", "Jacket"), 9.0, 149.0),
    Subcategory("Women", "Apparel", ("Dress", "Sweater", "Blouse"), 12.0, 179.0),
    Subcategory("Kids", "Apparel", ("Hoodie", "Sneakers", "Pajamas"), 7.0, 69.0),
    Subcategory("Fitness", "Sports", ("Yoga Mat", "Dumbbell Set", "Resistance Bands"), 9.0, 299.0),
    Subcategory("Outdoor", "Sports", ("Tent", "Backpack", "Water Bottle"), 8.0, 449.0),
    Subcategory("Snacks", "Grocery", ("Trail Mix", "Granola Bars", "Dark Chocolate"), 1.0, 15.0),
    Subcategory(
        "Beverages", "Grocery", ("Coffee Beans", "Green Tea", "Sparkling Water"), 1.0, 29.0
    ),
)

BRANDS: dict[str, tuple[str, ...]] = {
    "Electronics": ("Voltix", "Sonora", "Nimbus"),
    "Home": ("Hearth & Co.", "Casa Bella", "Lumière"),
    "Apparel": ("Northwind", "Urban Thread", "Smith, Barnes & Co"),
    "Sports": ("Peak Form", "TrailMark"),
    "Grocery": ("Green Valley", "Morning Ritual"),
}

#: Relative sales volume Monday .. Sunday: weekends are the busiest days.
WEEKDAY_WEIGHTS: tuple[float, ...] = (0.85, 0.8, 0.85, 0.9, 1.1, 1.45, 1.3)
