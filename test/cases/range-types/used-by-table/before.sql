CREATE TABLE bookings (id integer PRIMARY KEY);
