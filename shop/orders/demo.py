"""Demo catalogue for business customers: which products companies see and their volume prices."""
from sqlalchemy import select

from production.models import Product
from workshop.extensions import db

from ..models import Customer
from .models import CatalogueItem, CustomerPrice, PriceTier, Visibility

# product code, visibility, [(from quantity, unit price øre excl. VAT)], Danish and English description
CATALOGUE = (
    ("gift_bag", Visibility.EVERYONE, ((1, 4500), (50, 3900), (200, 3200)),
     "Gavepose i bomuld med jeres logo broderet. Syet og broderet på værkstedet.",
     "Cotton gift bag with your logo embroidered. Sewn and embroidered in the workshop."),
    ("travel_laundry_bag", Visibility.EVERYONE, ((1, 6500), (50, 5800), (200, 5200)),
     "Vaskepose til rejsen, med snøre. Kan få logo eller navn.",
     "Travel laundry bag with a drawstring. Can carry a logo or a name."),
    ("fabric_flower", Visibility.CHOSEN, ((1, 2500), (100, 2100)),
     "Stofblomst, broderet i hånden. Til museumsbutikker.",
     "Fabric flower, embroidered by hand. For museum shops."),
    ("christmas_heart", Visibility.EVERYONE, ((1, 4000), (50, 3500), (200, 3000)),
     "Broderet julehjerte. Godt som julegave til medarbejdere.",
     "Embroidered Christmas heart. A good Christmas gift for staff."),
)
#: The museum has its own price for fabric flowers, and is the one customer offered them.
MUSEUM = "Københavns Bymuseum (demo)"


def seed_catalogue() -> None:
    museum = db.session.scalar(select(Customer).where(Customer.company_name == MUSEUM))
    for code, visibility, tiers, description_da, description_en in CATALOGUE:
        product = db.session.scalar(select(Product).where(Product.code == code))
        if product is None or db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.product_id == product.id)):
            continue
        item = CatalogueItem(product_id=product.id, visibility=visibility, description_da=description_da,
                             description_en=description_en)
        if visibility == Visibility.CHOSEN and museum is not None:
            item.chosen_customers.append(museum)
            db.session.add(CustomerPrice(customer=museum, product=product, unit_price_ore=1900))
        db.session.add(item)
        db.session.add_all(PriceTier(product_id=product.id, min_quantity=quantity, unit_price_ore=price)
                           for quantity, price in tiers)
    db.session.flush()
